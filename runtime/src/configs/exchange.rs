//! Paying in the currency one holds: the `pallet-asset-conversion` pools (ENT against each
//! stablecoin, and the stablecoins against each other), their liquidity tokens in a second
//! `pallet-assets` instance, and `pallet-exchange` on top: the checkout exchange of orders paid
//! in another currency, and governance's reference rates (docs/payments.md).
//!
//! Anyone may create a pool (for a setup fee) and provide liquidity; the demo pools are seeded
//! at genesis from the platform account. A swap pays the pool's liquidity providers 0.3%.

use alloc::vec;
use frame_support::{
	ord_parameter_types, parameter_types,
	traits::{tokens::imbalance::ResolveAssetTo, AsEnsureOriginWithArg, ConstU128, ConstU32},
	PalletId,
};
use pallet_asset_conversion::{AccountIdConverter, Ascending, Chain, WithFirstAsset};
use sp_runtime::Permill;

use crate::{
	configs::{monetary::PlatformAccount, orders::NativeAndAssets},
	governance::PlatformAdminOrigin,
	AccountId, AssetConversion, Balance, Balances, PoolAssets, Runtime, RuntimeEvent, UNITS,
};
use entrepot_primitives::CurrencyId;

parameter_types! {
	/// The pools' id: each pool's account derives from it and the pool's two currencies.
	pub const AssetConversionPalletId: PalletId = PalletId(*b"ent/pool");
	/// The native token, first of every pool with it.
	pub const Native: CurrencyId = CurrencyId::Native;
	/// Liquidity providers earn 0.3% of every swap.
	pub LpFee: Permill = Permill::from_rational(3u32, 1_000u32);
	/// No pool may be set up with a swap fee above 10%.
	pub MaxSwapFee: Permill = Permill::from_percent(10);
	/// Withdrawing liquidity costs nothing.
	pub LiquidityWithdrawalFee: Permill = Permill::zero();
}

ord_parameter_types! {
	/// Where pool setup fees go: the platform account (an ordered parameter, as
	/// `EnsureSignedBy` needs one).
	pub const PoolSetupFeeReceiver: AccountId = PlatformAccount::get();
}

/// A pool's account, from its two currencies.
pub type PoolIdToAccountId = AccountIdConverter<AssetConversionPalletId, (CurrencyId, CurrencyId)>;

impl pallet_assets::Config<pallet_assets::Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type ReserveData = ();
	type Currency = Balances;
	/// Liquidity tokens are created by the pools only.
	type CreateOrigin =
		AsEnsureOriginWithArg<frame_system::EnsureSignedBy<PoolSetupFeeReceiver, AccountId>>;
	type ForceOrigin = PlatformAdminOrigin;
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_asset_conversion::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = CurrencyId;
	type Assets = NativeAndAssets;
	type PoolId = (CurrencyId, CurrencyId);
	/// Pools of ENT with anything, and of any two assets (in ascending order).
	type PoolLocator = Chain<
		WithFirstAsset<Native, AccountId, CurrencyId, PoolIdToAccountId>,
		Ascending<AccountId, CurrencyId, PoolIdToAccountId>,
	>;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	/// Setting up a pool costs 10 ENT, paid to the platform: pools cannot be spammed.
	type PoolSetupFee = ConstU128<{ 10 * UNITS }>;
	type PoolSetupFeeAsset = Native;
	type PoolSetupFeeTarget = ResolveAssetTo<PoolSetupFeeReceiver, NativeAndAssets>;
	type PalletId = AssetConversionPalletId;
	type WeightInfo = pallet_asset_conversion::weights::SubstrateWeight<Runtime>;
	type LPFee = LpFee;
	type AdminOrigin = PlatformAdminOrigin;
	type MaxSwapFee = MaxSwapFee;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	/// At most one intermediate currency: a stablecoin through ENT to another.
	type MaxSwapPathLength = ConstU32<3>;
	type MintMinLiquidity = ConstU128<100>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_exchange::Config for Runtime {
	type Currencies = NativeAndAssets;
	type Swap = AssetConversion;
	/// The platform account bears the difference of refunds converted back at the paid rate.
	type PlatformAccount = PlatformAccount;
	/// Reference rates and the fee deviation bound: Root, two thirds of the council, or a
	/// `platform` track referendum.
	type AdminOrigin = PlatformAdminOrigin;
	type WeightInfo = pallet_exchange::weights::SubstrateWeight<Runtime>;
}
