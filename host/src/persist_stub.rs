//! TODO(persist): stand-ins for the engine's persistence API until the
//! `persist` branch lands; inherent methods of the same names take
//! precedence, after which this file is deleted.
#![allow(dead_code)]

use redlet::storage::Storage;
use redlet::Engine;

/// Stand-in for `redlet::persist::LoadReport`.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Records replayed.
    pub journal_records: u64,
}

impl LoadReport {
    /// Warnings.
    pub fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Stand-in for `redlet::persist::PersistError`.
#[derive(Debug)]
pub struct PersistError {
    /// Blob.
    pub blob: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for PersistError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.blob, self.reason)
    }
}

/// The persistence calls the host makes.
pub trait Persist {
    /// Attaches storage.
    fn set_storage(&mut self, s: Box<dyn Storage + Send>);
    /// Loads snapshot and journal.
    fn load(&mut self) -> Result<LoadReport, PersistError>;
    /// SAVE.
    fn save(&mut self) -> Result<(), PersistError>;
    /// Group commit.
    fn flush_journal(&mut self) -> Result<(), PersistError>;
    /// SHUTDOWN / SIGTERM.
    fn shutdown(&mut self, save: Option<bool>) -> Result<(), PersistError>;
    /// SHUTDOWN ran.
    fn shutdown_requested(&self) -> bool;
}

impl Persist for Engine {
    fn set_storage(&mut self, _s: Box<dyn Storage + Send>) {}
    fn load(&mut self) -> Result<LoadReport, PersistError> {
        Ok(LoadReport::default())
    }
    fn save(&mut self) -> Result<(), PersistError> {
        Ok(())
    }
    fn flush_journal(&mut self) -> Result<(), PersistError> {
        Ok(())
    }
    fn shutdown(&mut self, _save: Option<bool>) -> Result<(), PersistError> {
        Ok(())
    }
    fn shutdown_requested(&self) -> bool {
        false
    }
}
