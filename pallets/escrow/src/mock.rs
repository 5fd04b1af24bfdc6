//! Test runtime: the real `pallet-balances`, `pallet-assets` and `pallet-assets-holder`, so
//! the tests exercise real holds of both currency kinds.

use crate as pallet_escrow;
use entrepot_primitives::{CurrencyBenchmarkHelper, CurrencyId};
use frame_support::{derive_impl, parameter_types, traits::fungible::NativeOrWithId, PalletId};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Permill};

pub type AccountId = u64;
pub type Balance = u128;

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
	pub type Escrow = pallet_escrow;
}

entrepot_dev::impl_test_currencies!(Test, existential_deposit: ED);

pub const ED: Balance = 10;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const FEE: AccountId = 99;
/// A sufficient stablecoin, minimum balance 10, the fee account holds some.
pub const USD: u32 = 1;
/// A sufficient asset, minimum balance 100; neither the fee account nor the escrow account
/// holds any (so it cannot be escrowed until someone funds the escrow account).
pub const XYZ: u32 = 2;
pub const ENT: CurrencyId = NativeOrWithId::Native;
pub const USDX: CurrencyId = NativeOrWithId::WithId(USD);
pub const XYZX: CurrencyId = NativeOrWithId::WithId(XYZ);

parameter_types! {
	pub const FeeAccount: AccountId = FEE;
	pub const EscrowPalletId: PalletId = PalletId(*b"ent/escr");
	pub const MaxPlatformFee: Permill = Permill::from_percent(10);
}

/// Funds benchmark accounts in USD.
#[allow(dead_code)]
pub struct BenchHelper;
impl CurrencyBenchmarkHelper<AccountId> for BenchHelper {
	fn currency() -> CurrencyId {
		USDX
	}
	fn fund(who: &AccountId, currency: CurrencyId, amount: Balance) {
		use frame_support::traits::fungibles::Mutate;
		let _ = <Currencies as Mutate<_>>::mint_into(ENT, who, 1_000_000);
		let _ = <Currencies as Mutate<_>>::mint_into(currency, who, amount);
	}
}

impl pallet_escrow::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Holds = Holds;
	type Currencies = Currencies;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PalletId = EscrowPalletId;
	type FeeAccount = FeeAccount;
	type MaxPlatformFee = MaxPlatformFee;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// The escrow account, which holds every order's escrowed money.
pub fn vault() -> AccountId {
	Escrow::account_id()
}

/// Genesis: ALICE is rich in ENT, USD and XYZ, BOB has ENT only; the fee account and the
/// escrow account have the existential deposit and USD's minimum balance (and no XYZ); the
/// platform fee is 1%.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![
				(ALICE, 1_000_000),
				(BOB, 1_000),
				(CHARLIE, 1_000),
				(FEE, ED),
				(vault(), ED),
			],
			..Default::default()
		},
		assets: pallet_assets::GenesisConfig {
			assets: vec![(USD, ALICE, true, 10), (XYZ, ALICE, true, 100)],
			metadata: vec![],
			accounts: vec![
				(USD, ALICE, 1_000_000),
				(USD, FEE, 10),
				(USD, vault(), 10),
				(XYZ, ALICE, 1_000_000),
			],
			next_asset_id: None,
			reserves: vec![],
		},
		escrow: pallet_escrow::GenesisConfig {
			platform_fee: Permill::from_percent(1),
			..Default::default()
		},
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and then checks every invariant of the pallet.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Escrow::do_try_state().expect("escrow invariants hold");
	});
}

/// The events this pallet emitted, oldest first.
pub fn escrow_events() -> Vec<pallet_escrow::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Escrow(e) = r.event { Some(e) } else { None })
		.collect()
}
