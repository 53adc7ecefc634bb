import ArgumentParser
import TrailCommands

@main
enum Entrypoint {
    static func main() async {
        PullCommand.useOneMallocArena()
        await PullCommand.main()
    }
}
