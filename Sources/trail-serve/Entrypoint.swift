import ArgumentParser
import TrailNetworkCommands

@main
enum Entrypoint {
    static func main() async {
        await ServeCommand.main()
    }
}
