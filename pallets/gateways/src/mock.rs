//! Test runtime: the real `pallet-balances` and `pallet-assets`, with two stablecoins whose
//! every role is the gateways pallet's account, one gateway each, and an asset of someone else.

use crate::{self as pallet_gateways, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
pub use sp_core::H256;
use sp_runtime::BuildStorage;

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
	pub type Gateways = pallet_gateways;
}

entrepot_dev::impl_test_currencies!(Test, existential_deposit: 1);

parameter_types! {
	pub const GatewaysPalletId: PalletId = PalletId(*b"ent/gate");
}

/// The benchmarks use the test stablecoin.
#[allow(dead_code)]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchHelper {
	fn asset() -> AssetId {
		USD
	}
}

impl pallet_gateways::Config for Test {
	type Assets = Assets;
	type PalletId = GatewaysPalletId;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxGateways = ConstU32<4>;
	type MaxDestinations = ConstU32<2>;
	type MaxOpenWithdrawals = ConstU32<3>;
	type BlocksPerDay = ConstU64<DAY>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// The gateway of `USD`.
pub const BANK: AccountId = 10;
/// The gateway of `EUR`.
pub const OTHER_BANK: AccountId = 11;
/// A sufficient stablecoin, minimum balance 10, whose roles are all the gateways account's.
pub const USD: AssetId = 1;
/// A second stablecoin of the gateways account.
pub const EUR: AssetId = 2;
/// An asset ALICE created: not a stablecoin of the gateways pallet.
pub const ALICE_TOKEN: AssetId = 3;
/// The blocks of a day window.
pub const DAY: u64 = 100;
/// A request may be cancelled after this many blocks without a status change.
pub const TIMEOUT: u64 = 20;
/// Attestations older than this stop minting.
pub const MAX_AGE: u64 = 50;
/// ALICE's genesis balance of each stablecoin (attributed to its gateway).
pub const GENESIS_BALANCE: Balance = 1_000;
/// A destination (hash of bank details).
pub const IBAN: H256 = H256::repeat_byte(0xaa);

/// The genesis limits of both gateways.
pub const LIMITS: Limits = Limits { per_deposit: 500, per_day: 800, outstanding: 5_000 };

/// Genesis: the two stablecoins owned by the gateways account, ALICE holding some of each, BANK
/// the gateway of `USD` and OTHER_BANK of `EUR`, attested at block 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let issuer = Gateways::account_id();
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, 1_000), (BANK, 1_000), (OTHER_BANK, 1_000)],
			..Default::default()
		},
		assets: pallet_assets::GenesisConfig {
			assets: vec![
				(USD, issuer, true, 10),
				(EUR, issuer, true, 10),
				(ALICE_TOKEN, ALICE, true, 1),
			],
			metadata: vec![],
			accounts: vec![(USD, ALICE, GENESIS_BALANCE), (EUR, ALICE, GENESIS_BALANCE)],
			next_asset_id: None,
			reserves: vec![],
		},
		gateways: pallet_gateways::GenesisConfig {
			gateways: vec![(BANK, USD, LIMITS), (OTHER_BANK, EUR, LIMITS)],
			params: Params { withdrawal_timeout: TIMEOUT, max_attestation_age: MAX_AGE },
		},
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on the genesis state, then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Gateways::do_try_state().expect("invariants hold");
	});
}

/// Moves to block `n`.
pub fn go_to(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}
