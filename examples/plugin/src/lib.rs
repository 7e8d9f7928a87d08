//! Plugin example guest.
