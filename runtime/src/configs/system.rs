//! System, Timestamp, Utility and Sudo.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU32, ConstU64},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

use crate::{
	AccountId, Aura, Balance, Block, BlockNumber, Hash, Nonce, OriginCaller, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeOrigin, RuntimeTask, HOURS, SLOT_DURATION, VERSION,
};

/// Three quarters of a block are for ordinary transactions; the rest is kept for operational
/// ones (governance, emergency fixes).
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// The largest block, in bytes: 1 MiB a second (a validator relays it to its peers within the
/// slot).
const MAX_BLOCK_LENGTH: u32 = 1024 * 1024;

parameter_types! {
	/// How many recent block hashes are kept: a transaction's mortality cannot exceed it.
	/// Four hours of one-second blocks (about 700 KB of state).
	pub const BlockHashCount: BlockNumber = 4 * HOURS;
	/// The runtime version.
	pub const Version: RuntimeVersion = VERSION;
	/// A quarter of a second of compute per one-second block (weights are measured on the
	/// reference machine): the author builds the block within two thirds of its slot, and
	/// every other validator imports it in well under the slot, with room for GRANDPA,
	/// networking and RPC on the same cores (see docs/performance.md).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND / 4, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// One MiB per block, three quarters of it for ordinary transactions.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	/// Address format: 42, the generic Substrate prefix, so every wallet and polkadot.js Apps
	/// show Entrepot addresses the same way as any development chain.
	pub const SS58Prefix: u16 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores its state in ParityDb.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// Every call but a self-burn of assets (see [`super::assets::NoStablecoinBurn`]).
	type BaseCallFilter = super::assets::NoStablecoinBurn;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

/// Sudo is for quick demos on the `development` chain only: the `local_testnet` preset (and any
/// production preset) sets no key, and every privileged call also takes a governance origin.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
