//! The pallet's logic, one feature per file: what governance does, deposits and reserves, and
//! withdrawals.

mod deposits;
mod governance;
mod withdrawals;
