import ArgumentParser
import TrailNetworkCommands

@main
enum Entrypoint {
    static func main() async {
        PullCommand.useOneMallocArena()
        await PullCommand.main()
    }
}
