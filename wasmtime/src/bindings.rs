//! Generated bindings of the `redlet:engine` worlds (`wasmtime::component::bindgen!`
//! over `../wit`): `redlet` (the component: its imports are implemented by
//! this crate, its exports called by [`crate::Instance`]) and `plugin-host`
//! (what a plugin imports; implemented by [`crate::plugin`]).
#![allow(missing_docs)]

/// World `redlet:engine/redlet`: the component.
pub mod component {
    wasmtime::component::bindgen!({
        world: "redlet:engine/redlet",
        path: "../wit",
    });
}

/// World `redlet:engine/plugin-host`: what a plugin imports, implemented
/// by [`crate::plugin`] over the native engine.
pub mod plugin {
    wasmtime::component::bindgen!({
        world: "redlet:engine/plugin-host",
        path: "../wit",
        // Only a full resource table can fail `connect`: a trap.
        imports: { "redlet:engine/engine.[method]database.connect": trappable },
        with: {
            "redlet:engine/engine.database": crate::plugin::DbRes,
            "redlet:engine/engine.connection": crate::plugin::ConnRes,
            "wasi:keyvalue/store.bucket": crate::plugin::BucketRes,
        },
    });
}
