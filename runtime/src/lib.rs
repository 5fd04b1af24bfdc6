//! # Entrepot runtime
//!
//! The state transition function of the Entrepot chain: cross-border e-commerce payments
//! settled on chain. The runtime is split as the polkadot-sdk solochain template splits it:
//!
//! - this file: the basic types, the runtime version and the list of pallets;
//! - [`configs`]: one file per concern with each pallet's configuration;
//! - [`apis`]: the runtime APIs the node, polkadot.js and integrators call;
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis states;
//! - [`governance`]: the origins every privileged call takes, the custom referendum origins and
//!   the referendum tracks;
//! - [`migrations`]: the storage migrations of the runtime's own wiring (listed in
//!   [`Migrations`] with the pallets' own).

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` expand to large recursive types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// Declared first: the benchmark list macros it defines are used by `apis`.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;
pub mod migrations;
#[cfg(test)]
mod tests;

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, MultiAddress};
use sp_version::RuntimeVersion;

pub use entrepot_primitives::{
	currency::{self, MICRO_UNITS, MILLI_UNITS, TOKEN_DECIMALS, TOKEN_SYMBOL, UNITS},
	time::{self, DAYS, HOURS, MILLISECS_PER_BLOCK, MINUTES},
	AccountId, AssetId, Balance, BlockNumber, Nonce, Signature,
};
pub use frame_system::Call as SystemCall;
pub use governance::origins::pallet_custom_origins;
pub use pallet_balances::Call as BalancesCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// Opaque types: what the node needs to know of the chain's data without knowing the
/// runtime's types, so it keeps syncing across runtime upgrades.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The session keys of a validator: one for Aura, one for GRANDPA.
	pub struct SessionKeys {
		/// Block production.
		pub aura: Aura,
		/// Finality.
		pub grandpa: Grandpa,
	}
}

/// The runtime version. Bump `spec_version` with every runtime upgrade.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("entrepot"),
	impl_name: alloc::borrow::Cow::Borrowed("entrepot-node"),
	authoring_version: 1,
	spec_version: 102,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Aura slot length. It cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

/// A period in blocks: `prod` normally, `fast` when the runtime is built with the `fast-runtime`
/// cargo feature.
///
/// Governance and session periods (referendum tracks, council motions, vote locks, session
/// length) go through this, so that end-to-end tests and demos can watch a referendum pass and
/// a validator join in minutes: build with
/// `cargo build --release -p entrepot-node --features entrepot-runtime/fast-runtime`. A
/// production chain is built without the feature and gets the `prod` periods (hours and days).
pub const fn prod_or_fast(prod: BlockNumber, fast: BlockNumber) -> BlockNumber {
	if cfg!(feature = "fast-runtime") {
		fast
	} else {
		prod
	}
}

/// The smallest native balance an account may hold: one thousandth of an ENT.
///
/// Low enough that a customer's change after a payment rarely falls below it, high enough
/// that filling state with dust accounts costs real money.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNITS;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every transaction goes through. None carries data of its own beyond the
/// standard ones, so polkadot.js signs for this chain with no custom types: the fee extension
/// is `ChargeAssetTxPayment`, whose optional `assetId` (an XCM location, as polkadot.js encodes
/// it) pays the fee in a stablecoin through the pools (`configs::fees`); without it, in ENT.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_asset_conversion_tx_payment::ChargeAssetTxPayment<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// All migrations of the runtime, aside from the ones declared in the pallets (each a no-op on a
/// chain already migrated, such as one started from this runtime's genesis; docs/upgrades.md):
/// - the orders pallet's v0 → v1: payment references, deposit currencies, conversions;
/// - the disputes pallet's v0 → v1: the order's reference, the currency a deposit is held in;
/// - the loyalty pallet's v0 → v1: the token `LOY` becomes sufficient, with a minimum balance
///   ([`migrations::loyalty`]).
pub type Migrations = (
	pallet_orders::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_disputes::migrations::v1::MigrateV0ToV1<Runtime>,
	migrations::loyalty::MigrateV0ToV1,
);

/// Executive: handles dispatch to the various pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	/// The Entrepot runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// Chain basics.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Utility = pallet_utility;

	// Consensus: Aura and GRANDPA take their authorities from the session pallet (48, 49 below).
	#[runtime::pallet_index(10)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(11)]
	pub type Grandpa = pallet_grandpa;

	// Money: the native token, fees, stablecoins.
	#[runtime::pallet_index(20)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(21)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(22)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(23)]
	pub type AssetsHolder = pallet_assets_holder;
	#[runtime::pallet_index(24)]
	pub type Gateways = pallet_gateways;
	#[runtime::pallet_index(25)]
	pub type PoolAssets = pallet_assets<Instance2>;
	#[runtime::pallet_index(26)]
	pub type AssetConversion = pallet_asset_conversion;
	#[runtime::pallet_index(27)]
	pub type Exchange = pallet_exchange;
	#[runtime::pallet_index(28)]
	pub type AssetTxPayment = pallet_asset_conversion_tx_payment;

	// The product: business and payment layers.
	#[runtime::pallet_index(30)]
	pub type Orders = pallet_orders;
	#[runtime::pallet_index(31)]
	pub type Escrow = pallet_escrow;
	#[runtime::pallet_index(32)]
	pub type Disputes = pallet_disputes;
	#[runtime::pallet_index(33)]
	pub type Loyalty = pallet_loyalty;

	// Governance: the council, public referenda and the treasury (see `governance`).
	#[runtime::pallet_index(40)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(41)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(42)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(43)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(44)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(45)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(46)]
	pub type Treasury = pallet_treasury;
	#[runtime::pallet_index(47)]
	pub type Origins = pallet_custom_origins;
	// The governed validator set, and the session pallet that hands it to Aura and GRANDPA.
	// Genesis configs are built and hooks run in index order: `Validators` comes before
	// `Session`, whose genesis asks it for the first set, and both come after `Balances`, whose
	// genesis creates the validators' accounts that the session keys take a reference on.
	#[runtime::pallet_index(48)]
	pub type Validators = pallet_validators;
	#[runtime::pallet_index(49)]
	pub type Session = pallet_session;

	// Sudo: only the `development` preset sets a key; everywhere else it is inert.
	#[runtime::pallet_index(90)]
	pub type Sudo = pallet_sudo;
}
