import ArgumentParser
import TrailCommands

@main
enum Entrypoint {
    static func main() async {
        await VerifyCommand.main()
    }
}
