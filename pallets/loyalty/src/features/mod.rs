//! The pallet's logic, one feature per file: each call's `do_*` function reads, checks
//! everything, then writes.

mod earning;
mod governance;
mod spending;
mod timers;
