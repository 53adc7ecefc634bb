import ArgumentParser
import TrailValidateCommand

@main
enum Entrypoint {
    static func main() async {
        await ValidateCommand.main()
    }
}
