//! Pallet configurations, one file per concern.
//!
//! - [`system`]: System, Timestamp, Utility, Sudo: block limits, accounts, batching.
//! - [`consensus`]: Aura block production and GRANDPA finality, with authorities from the
//!   session pallet and the governed validator set.
//! - [`governance`]: the council, referenda, scheduler, preimages and the treasury.
//! - [`monetary`]: the native token `ENT` and transaction fees.
//! - [`assets`]: stablecoins and other `pallet-assets` assets.
//! - [`exchange`]: the pools and the exchange at checkout.
//! - [`fees`]: transaction fees paid in a stablecoin.
//! - [`orders`]: merchants, orders and escrow: the payment core.
//! - [`disputes`]: the dispute ladder over orders' escrowed money.
//! - [`loyalty`]: the loyalty token, reviews and rewards.

pub mod assets;
pub mod consensus;
pub mod disputes;
pub mod exchange;
pub mod fees;
pub mod governance;
pub mod loyalty;
pub mod monetary;
pub mod orders;
pub mod system;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights, SS58Prefix};
