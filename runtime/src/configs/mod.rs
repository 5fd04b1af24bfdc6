//! Pallet configurations, one file per concern.
//!
//! - [`system`]: System, Timestamp, Utility, Sudo: block limits, accounts, batching.
//! - [`consensus`]: Aura block production and GRANDPA finality.
//! - [`monetary`]: the native token `ENT` and transaction fees.
//! - [`assets`]: stablecoins and other `pallet-assets` assets.
//! - [`orders`]: merchants, orders and escrow: the payment core.
//! - [`disputes`]: the dispute ladder over orders' escrowed money.

pub mod assets;
pub mod consensus;
pub mod disputes;
pub mod loyalty;
pub mod monetary;
pub mod orders;
pub mod system;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights, SS58Prefix};
