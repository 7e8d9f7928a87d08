//! SORT and SORT_RO (listed in the keys family table).
