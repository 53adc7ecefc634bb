import ArgumentParser
import TrailCommands

@main
enum Entrypoint {
    static func main() {
        ValidateCommand.main()
    }
}
