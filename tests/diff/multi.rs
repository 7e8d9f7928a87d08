//! Multi-client scenarios.
#![allow(dead_code)]
