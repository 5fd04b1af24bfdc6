//! The pallet's logic, one feature per file: each call's `do_*` function reads, checks
//! everything, then writes.

mod arbitration;
mod deadlines;
mod governance;
mod negotiation;
mod opening;

pub(crate) use deadlines::Branch;
