//! Test runtime: the real `pallet-balances`, `pallet-assets` and `pallet-asset-conversion`, with
//! two stablecoins and pools of each against `ENT` and against each other, seeded by the
//! platform account.

use crate::{self as pallet_exchange, *};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{
		tokens::{fungible::NativeOrWithId, imbalance::ResolveAssetTo},
		AsEnsureOriginWithArg, ConstU128, ConstU32,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use pallet_asset_conversion::{AccountIdConverter, Ascending, Chain, WithFirstAsset};
use sp_runtime::{traits::AccountIdConversion, BuildStorage, FixedU128, Permill};

pub type AccountId = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeHoldReason,
		RuntimeFreezeReason
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type AssetsHolder = pallet_assets_holder;
	#[runtime::pallet_index(4)]
	pub type PoolAssets = pallet_assets<Instance2>;
	#[runtime::pallet_index(5)]
	pub type AssetConversion = pallet_asset_conversion;
	#[runtime::pallet_index(6)]
	pub type Exchange = pallet_exchange;
}

entrepot_dev::impl_test_currencies!(Test, existential_deposit: 1);

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<pallet_assets::Instance2> for Test {
	type Balance = Balance;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Currency = Balances;
}

parameter_types! {
	pub const AssetConversionPalletId: PalletId = PalletId(*b"py/ascon");
	pub const Native: CurrencyId = NativeOrWithId::Native;
	pub LpFee: Permill = Permill::from_rational(3u32, 1_000u32);
	pub MaxSwapFee: Permill = Permill::from_percent(10);
	pub LiquidityWithdrawalFee: Permill = Permill::zero();
	pub const Platform: AccountId = PLATFORM;
}

ord_parameter_types! {
	pub const PoolSetupFeeReceiver: AccountId =
		AccountIdConversion::<AccountId>::into_account_truncating(&AssetConversionPalletId::get());
}

pub type PoolIdToAccountId = AccountIdConverter<AssetConversionPalletId, (CurrencyId, CurrencyId)>;

impl pallet_asset_conversion::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = CurrencyId;
	type Assets = Currencies;
	type PoolId = (CurrencyId, CurrencyId);
	type PoolLocator = Chain<
		WithFirstAsset<Native, AccountId, CurrencyId, PoolIdToAccountId>,
		Ascending<AccountId, CurrencyId, PoolIdToAccountId>,
	>;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	type PoolSetupFee = ConstU128<0>;
	type PoolSetupFeeAsset = Native;
	type PoolSetupFeeTarget = ResolveAssetTo<PoolSetupFeeReceiver, Currencies>;
	type PalletId = AssetConversionPalletId;
	type WeightInfo = ();
	type LPFee = LpFee;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxSwapFee = MaxSwapFee;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	type MaxSwapPathLength = ConstU32<3>;
	type MintMinLiquidity = ConstU128<100>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_exchange::Config for Test {
	type Currencies = Currencies;
	type Swap = AssetConversion;
	type PlatformAccount = Platform;
	type AdminOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const PLATFORM: AccountId = 99;
/// A sufficient stablecoin worth 2 ENT a unit.
pub const USD: u32 = 1;
/// A sufficient stablecoin worth 2/7 ENT a unit.
pub const CNY: u32 = 2;
pub const ENT: CurrencyId = NativeOrWithId::Native;
pub fn usd() -> CurrencyId {
	NativeOrWithId::WithId(USD)
}
pub fn cny() -> CurrencyId {
	NativeOrWithId::WithId(CNY)
}

/// Pool depth: 1 000 000 ENT against 2 000 000 USD... in planck, 1 ENT = 1, 1 USD = 2 ENT.
pub const DEPTH: Balance = 1_000_000_000;

/// Reference rates: ENT per planck of USD, of CNY.
pub fn usd_rate() -> FixedU128 {
	FixedU128::from_u32(2)
}
pub fn cny_rate() -> FixedU128 {
	FixedU128::from_rational(2, 7)
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 10 * DEPTH), (BOB, 10 * DEPTH), (PLATFORM, 10 * DEPTH)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(USD, PLATFORM, true, 10), (CNY, PLATFORM, true, 10)],
		accounts: vec![
			(USD, ALICE, DEPTH),
			(CNY, ALICE, 10 * DEPTH),
			(USD, PLATFORM, 10 * DEPTH),
			(CNY, PLATFORM, 70 * DEPTH),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	// ENT/USD 2:1, ENT/CNY 2:7, USD/CNY 1:7.
	pallet_asset_conversion::GenesisConfig::<Test> {
		pools: vec![
			(ENT, usd(), PLATFORM, 2 * DEPTH, DEPTH),
			(ENT, cny(), PLATFORM, 2 * DEPTH, 7 * DEPTH),
			(usd(), cny(), PLATFORM, DEPTH, 7 * DEPTH),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_exchange::GenesisConfig::<Test> {
		reference_rates: vec![(usd(), usd_rate()), (cny(), cny_rate())],
		max_fee_deviation: Permill::from_percent(5),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
