# Sourced by the benchmark scripts: the one way they build the tools, the release build the README gives for
# use (the Swift runtime linked in).
# release_build PRODUCT... builds the products in the current directory's package (its output goes to
# standard error) and prints the directory that holds the binaries; it fails when a build fails.
release_build() {
    local product
    for product in "$@"; do
        swift build -c release --static-swift-stdlib --product "$product" >&2 || return
    done
    swift build -c release --static-swift-stdlib --show-bin-path
}
