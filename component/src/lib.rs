//! The redlet WASI component (see wit/redlet.wit).
