package import Hummingbird
package import Logging
import NIOCore

/// The emulator: a Hummingbird application serving Tuor (`/v1/…`), Tracia (`/api/v1/…`) and the
/// emulator's admin API (`/_trail/…`) from one store, with the configured faults.
package struct EmulatorServer: Sendable {
    /// The configuration it was built from.
    package let configuration: ServerConfiguration
    /// The store behind every endpoint.
    package let store: SQLiteStore
    /// Answered requests, for `GET /_trail/requests`.
    package let journal: RequestJournal
    /// The fault state.
    package let injector: FaultInjector
    let services: ServerServices

    /// Opens the store and prepares the fault state; call ``populate()`` to seed or generate data.
    ///
    /// - Parameter configuration: the configuration.
    /// - Throws: ``TrailServerError`` when the database cannot be opened or a bundled request schema cannot be
    ///   compiled.
    package init(configuration: ServerConfiguration) throws {
        let schemas = try RequestSchemas.shared.get()
        self.configuration = configuration
        store = try SQLiteStore(path: configuration.databasePath)
        journal = RequestJournal()
        injector = FaultInjector(
            plan: configuration.faults,
            failAfter: configuration.failAfter,
            seed: configuration.randomSeed,
            now: configuration.rateLimitClock
        )
        services = ServerServices(
            store: store,
            clock: ServerClock(),
            ids: IDGenerator(seed: configuration.randomSeed),
            injector: injector,
            journal: journal,
            schemas: schemas
        )
    }

    /// Loads `--seed` and `--generate` data into the store.
    ///
    /// - Throws: ``TrailServerError`` when the seed folder is unusable.
    package func populate() async throws {
        if let directory = configuration.seedDirectory {
            try await WorkspaceSeeder(directory: directory).populate(store)
        }
        if configuration.generateCount > 0 {
            try await DataGenerator(count: configuration.generateCount, seed: configuration.randomSeed).populate(store)
        }
    }

    /// Builds the Hummingbird application.
    ///
    /// - Parameters:
    ///   - logger: the request and server logger (keys are never logged).
    ///   - onListening: called once with the bound port.
    /// - Returns: the application, ready to `run()` or `runService()`.
    package func makeApplication(
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: TrailRequestContext.self)
        router.add(middleware: TraciaErrorEnvelope.Middleware(flat: configuration.traciaFlatErrors))
        router.add(middleware: RequestLogMiddleware(journal: journal, logger: logger))
        router.add(middleware: AuthMiddleware(keys: configuration.apiKeys))
        router.add(middleware: FaultMiddleware(injector: injector))
        TuorRoutes(services: services).register(on: router)
        TraciaRoutes(services: services, servesVersions: configuration.traciaVersions).register(on: router)
        AdminRoutes(services: services).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM (then shuts down gracefully) or until the task is cancelled.
    ///
    /// - Parameters:
    ///   - logger: the logger.
    ///   - onListening: called once with the bound port.
    /// - Throws: when the address cannot be bound.
    package func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void) async throws {
        try await makeApplication(logger: logger, onListening: onListening).runService()
    }

    /// Serves on the configured address while `body` runs, then stops: the way to embed the emulator in a
    /// test or a tool. With port 0 (the default) the system picks a free port, which `body` receives.
    ///
    /// - Parameters:
    ///   - logger: the request and server logger (keys are never logged).
    ///   - body: what to do while the emulator serves; it receives the bound port.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or an error when the address cannot be bound.
    package func withRunning<T: Sendable>(
        logger: Logger,
        _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = makeApplication(logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await application.run()
                } catch {
                    continuation.finish()
                    throw error
                }
            }
            var bound: Int?
            for await port in ports { bound = port }
            defer { group.cancelAll() }
            guard let bound else {
                try await group.next()
                throw TrailServerError.notListening(address: "\(configuration.host):\(configuration.port)")
            }
            return try await body(bound)
        }
    }
}
