//! Offering redlet to a plugin runtime's own plugins (world
//! `redlet:engine/plugin-host`).
