//! Stablecoins and other assets, held in `pallet-assets`, with every deposit paid in `ENT`.
//! `pallet-assets-holder` lets asset balances be put on hold with a named reason, as
//! `pallet-balances` does for `ENT`.
//!
//! Anyone may create an asset by paying the asset deposit; the stablecoins `USDX` and `CNYX` are
//! created at genesis, with every role (owner, issuer, admin, freezer) held by the gateways
//! account (`PalletId(*b"ent/gate")`), which nobody can sign for. Only gateways appointed by
//! governance ([`PlatformAdminOrigin`]) mint them, against money received off chain and within
//! their limits and attested reserves; withdrawals burn them (`pallet-gateways`,
//! docs/gateways.md).
//!
//! [`NoStablecoinBurn`] keeps every stablecoin's supply equal to what its gateways have
//! outstanding: nobody may burn coins through `Assets::refund`.

use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, Contains},
	PalletId,
};
use frame_system::EnsureSigned;

use crate::{
	currency::deposit, governance::PlatformAdminOrigin, AccountId, AssetId, Assets, AssetsHolder,
	Balance, Balances, BlockNumber, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, DAYS,
	UNITS,
};

parameter_types! {
	/// Creating an asset locks 10 ENT, returned when the asset is destroyed.
	pub const AssetDeposit: Balance = 10 * UNITS;
	/// Holding an asset without ENT of one's own costs one storage item's deposit.
	pub const AssetAccountDeposit: Balance = deposit(1, 16);
	/// Metadata: one storage item plus its bytes.
	pub const MetadataDepositBase: Balance = deposit(1, 68);
	/// Metadata: per byte of name and symbol.
	pub const MetadataDepositPerByte: Balance = deposit(0, 1);
	/// An approval to spend on someone's behalf.
	pub const ApprovalDeposit: Balance = deposit(1, 32);
	/// The gateways account's id: it holds every role of the stablecoins.
	pub const GatewaysPalletId: PalletId = PalletId(*b"ent/gate");
}

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	/// The `force_*` calls: Root, two thirds of the council, or a `platform` track referendum.
	type ForceOrigin = PlatformAdminOrigin;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	/// Asset balances can be held (escrow holds stablecoins as it holds ENT).
	type Holder = AssetsHolder;
	type Extra = ();
	type CallbackHandle = ();
	/// Ids of assets created after genesis count up from `NextAssetId`: nobody picks one.
	type AssetIdAllocator = pallet_assets::AutoIncAssetId<Runtime>;
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

parameter_types! {
	/// A gateway's daily limit applies to windows of one day.
	pub const GatewayDay: BlockNumber = DAYS;
}

impl pallet_gateways::Config for Runtime {
	type Assets = Assets;
	type PalletId = GatewaysPalletId;
	/// Appointing, limiting and suspending gateways: Root, two thirds of the council, or a
	/// `platform` track referendum.
	type AdminOrigin = PlatformAdminOrigin;
	type MaxGateways = ConstU32<32>;
	type MaxDestinations = ConstU32<4>;
	type MaxOpenWithdrawals = ConstU32<8>;
	type BlocksPerDay = GatewayDay;
	type WeightInfo = pallet_gateways::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::Usdx;
}

/// The runtime's call filter: every call but `Assets::refund` with `allow_burn`, which would let
/// an account burn its own coins and leave a stablecoin's supply below what its gateways have
/// outstanding. An account that wants its asset deposit back moves its coins away first.
pub struct NoStablecoinBurn;
impl Contains<RuntimeCall> for NoStablecoinBurn {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Assets(pallet_assets::Call::refund { allow_burn: true, .. }))
	}
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use crate::{genesis_config_presets::USDX, AssetId};

	/// The benchmarks mint the genesis stablecoin `USDX`.
	pub struct Usdx;
	impl pallet_gateways::BenchmarkHelper for Usdx {
		fn asset() -> AssetId {
			USDX
		}
	}
}

impl pallet_assets_holder::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeEvent = RuntimeEvent;
}
