import ArgumentParser
import TrailCommands

@main
enum Entrypoint {
    static func main() async {
        await ValidateCommand.main()
    }
}
