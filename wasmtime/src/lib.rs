//! redlet for wasmtime hosts.
