//! Test runtime: the real `pallet-balances`, `pallet-assets`, `pallet-assets-holder`,
//! `pallet-escrow` and `pallet-orders`, so the tests freeze and resolve real orders and move
//! real money and real holds.

use crate::{self as pallet_disputes, *};
use entrepot_primitives::CurrencyBenchmarkHelper;
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::NativeOrWithId, ConstU128, ConstU32, ConstU64},
	weights::Weight,
	BoundedVec, PalletId,
};
use frame_system::EnsureRoot;
use pallet_orders::{
	LineItem, MerchantPolicy, PolicyBounds, PolicyBoundsOf, PolicyOf, WindowBounds,
};
use sp_core::H256;
use sp_runtime::{BuildStorage, Permill};

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
	pub type Escrow = pallet_escrow;
	#[runtime::pallet_index(5)]
	pub type Orders = pallet_orders;
	#[runtime::pallet_index(6)]
	pub type Disputes = pallet_disputes;
}

entrepot_dev::impl_test_currencies!(Test, existential_deposit: ED);

pub const ED: Balance = 10;
/// A customer, rich in ENT and USD.
pub const ALICE: AccountId = 1;
/// The merchant of every test order, with some ENT and USD (for the stakes of its deposits).
pub const BOB: AccountId = 2;
/// Nobody's party: some ENT, no USD.
pub const CHARLIE: AccountId = 3;
/// Another customer, rich in ENT and USD.
pub const DAVE: AccountId = 4;
/// Three arbiters, with some ENT.
pub const ARB1: AccountId = 10;
pub const ARB2: AccountId = 11;
pub const ARB3: AccountId = 12;
/// The platform account: receives forfeited deposits.
pub const PLATFORM: AccountId = 98;
/// The escrow's platform fee account: receives fees, pays compensations.
pub const FEE: AccountId = 99;
pub const USD: u32 = 1;
/// BOB's USD at genesis.
pub const BOB_USD: Balance = 10_000;
pub const ENT: CurrencyId = NativeOrWithId::Native;
pub const USDX: CurrencyId = NativeOrWithId::WithId(USD);
pub const MAX_ARBITERS: u32 = 4;
pub const MAX_EVIDENCE: u32 = 3;
pub const MAX_REASSIGNMENTS: u32 = 2;
pub const RETRY_DELAY: u64 = 5;

/// Agreement: respond within 5, negotiate within 10, rule within 10, appeal within 5, decide
/// within 20; deposit 50, appeal deposit 80.
pub const AGREEMENT: KindParams<u64> = KindParams {
	response_within: 5,
	negotiation_within: 10,
	ruling_within: 10,
	appeal_within: 5,
	decide_within: 20,
	deposit: 50,
	appeal_deposit: 80,
	stake: Permill::from_percent(5),
};
/// After-sales: respond within 4, negotiate within 8, rule within 6, appeal within 3, decide
/// within 12; deposit 40, appeal deposit 60.
pub const AFTER_SALES: KindParams<u64> = KindParams {
	response_within: 4,
	negotiation_within: 8,
	ruling_within: 6,
	appeal_within: 3,
	decide_within: 12,
	deposit: 40,
	appeal_deposit: 60,
	stake: Permill::from_percent(5),
};
/// Platform: decide within 15; deposit 30 (the other windows do not apply).
pub const PLATFORM_KIND: KindParams<u64> = KindParams {
	response_within: 1,
	negotiation_within: 1,
	ruling_within: 1,
	appeal_within: 1,
	decide_within: 15,
	deposit: 30,
	appeal_deposit: 0,
	stake: Permill::from_percent(5),
};
pub const ARBITER_FEE: Balance = 20;

parameter_types! {
	pub const FeeAccount: AccountId = FEE;
	pub const PlatformAccount: AccountId = PLATFORM;
	pub const MaxPlatformFee: Permill = Permill::from_percent(10);
	pub const Bounds: PolicyBoundsOf<Test> = PolicyBounds {
		ship_within: WindowBounds { min: 1, max: 1_000 },
		auto_confirm_after: WindowBounds { min: 1, max: 1_000 },
		refund_response_within: WindowBounds { min: 1, max: 1_000 },
		return_window: WindowBounds { min: 1, max: 1_000 },
		after_sales_window: WindowBounds { min: 1, max: 1_000 },
		max_holdback: Permill::from_percent(50),
	};
	pub const DefaultParams: DisputeParamsOf<Test> = DisputeParams {
		agreement: AGREEMENT,
		after_sales: AFTER_SALES,
		platform: PLATFORM_KIND,
		arbiter_fee: ARBITER_FEE,
		max_compensation: Permill::from_percent(100),
	};
	/// The runtime's ids are `ent/escr` and `ent/disp`; a `u64` account keeps only the first
	/// four bytes of a pallet id, so the mock's ids must differ in those.
	pub const EscrowPalletId: PalletId = PalletId(*b"escr/ent");
	pub const DisputesPalletId: PalletId = PalletId(*b"disp/ent");
	/// Room for eight deadlines of the heaviest kind per block: the draw tests fire eight at
	/// once.
	pub const HookBudget: Weight = Weight::from_parts(40_000_000_000, 2_000_000);
}

/// Blocks between an escalation and its draw.
pub const DRAW_DELAY: u64 = 3;
/// Failures of a deadline's action before the dispute ends undecided.
pub const MAX_DEADLINE_FAILURES: u32 = 3;

/// Funds benchmark accounts in USD (and ENT).
#[allow(dead_code)]
pub struct BenchHelper;
impl CurrencyBenchmarkHelper<AccountId> for BenchHelper {
	fn currency() -> CurrencyId {
		USDX
	}
	fn fund(who: &AccountId, currency: CurrencyId, amount: Balance) {
		use frame_support::traits::fungibles::Mutate;
		let _ = <Currencies as Mutate<_>>::mint_into(ENT, who, 1_000_000_000);
		let _ = <Currencies as Mutate<_>>::mint_into(currency, who, amount);
	}
}

/// Sets up disputable orders for the benchmarks with the real orders pallet.
#[allow(dead_code)]
pub struct DisputesBenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl entrepot_primitives::DisputesBenchmarkHelper<AccountId> for DisputesBenchHelper {
	fn disputable_order(
		customer: &AccountId,
		merchant: &AccountId,
		scope: entrepot_primitives::DisputeScope,
	) -> OrderId {
		Orders::benchmark_disputable_order(customer, merchant, scope, 10_000)
			.expect("the mock sets up disputable orders")
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

impl pallet_orders::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type NativeBalance = Balances;
	type Holds = Holds;
	type Escrow = Escrow;
	type Exchange = ();
	type QuoteLifetime = frame_support::traits::ConstU64<5>;
	type Hooks = ();
	type AdminOrigin = EnsureRoot<AccountId>;
	type MerchantDeposit = ConstU128<100>;
	type OrderDepositBase = ConstU128<10>;
	type OrderDepositPerByte = ConstU128<1>;
	type MaxCurrencies = ConstU32<4>;
	type MaxItems = ConstU32<8>;
	type MaxEncryptedLen = ConstU32<64>;
	type MaxTimerWeight = HookBudget;
	type MaxTimerFailures = ConstU32<3>;
	type MaxPageSize = ConstU32<10>;
	type RetryDelay = ConstU64<5>;
	type DefaultPolicyBounds = Bounds;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// Governance's reference rates in the mock: 1 USD is worth 2 ENT.
pub const REFERENCE_RATES: &[(CurrencyId, u128, u128)] = &[(ENT, 1, 1), (USDX, 2, 1)];

/// The reference rates alone: no pools (every exchange fails, as with `()`).
pub struct ReferenceRates;
impl entrepot_primitives::Exchange<AccountId> for ReferenceRates {
	fn quote(pay: &CurrencyId, receive: &CurrencyId, amount: Balance) -> Option<Balance> {
		<() as entrepot_primitives::Exchange<AccountId>>::quote(pay, receive, amount)
	}
	fn buy(
		who: &AccountId,
		pay: &CurrencyId,
		receive: &CurrencyId,
		amount: Balance,
		max_pay: Balance,
		send_to: &AccountId,
	) -> Result<Balance, sp_runtime::DispatchError> {
		<() as entrepot_primitives::Exchange<AccountId>>::buy(
			who, pay, receive, amount, max_pay, send_to,
		)
	}
	fn convert_refund(
		who: &AccountId,
		from: &CurrencyId,
		amount: Balance,
		to: &CurrencyId,
		owed: Balance,
	) -> sp_runtime::DispatchResult {
		<() as entrepot_primitives::Exchange<AccountId>>::convert_refund(
			who, from, amount, to, owed,
		)
	}
	fn native_value_in(currency: &CurrencyId, native: Balance) -> Option<Balance> {
		entrepot_dev::reference_value(REFERENCE_RATES, &ENT, currency, native)
	}
	fn reference_value(from: &CurrencyId, to: &CurrencyId, amount: Balance) -> Option<Balance> {
		entrepot_dev::reference_value(REFERENCE_RATES, from, to, amount)
	}
}

impl pallet_disputes::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Holds = Holds;
	type Currencies = Currencies;
	type PalletId = DisputesPalletId;
	type Orders = Orders;
	type Escrow = Escrow;
	type Exchange = ReferenceRates;
	type AdminOrigin = EnsureRoot<AccountId>;
	type DecideOrigin = EnsureRoot<AccountId>;
	type PlatformAccount = PlatformAccount;
	type MaxArbiters = ConstU32<MAX_ARBITERS>;
	type MaxEvidence = ConstU32<MAX_EVIDENCE>;
	type MaxDeadlineWeight = HookBudget;
	type MaxDeadlineFailures = ConstU32<MAX_DEADLINE_FAILURES>;
	type DrawDelay = ConstU64<DRAW_DELAY>;
	type MaxPageSize = ConstU32<10>;
	type MaxReassignments = ConstU32<MAX_REASSIGNMENTS>;
	type RetryDelay = ConstU64<RETRY_DELAY>;
	type DefaultParams = DefaultParams;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DisputesBenchHelper;
}

/// The escrow account: it holds every order's escrowed money.
pub fn escrow_vault() -> AccountId {
	Escrow::account_id()
}

/// This pallet's account: it holds every dispute deposit.
pub fn vault() -> AccountId {
	Disputes::account_id()
}

/// Genesis: ALICE and DAVE are customers rich in ENT and USD; BOB (the merchant) has some ENT
/// and USD; CHARLIE and the arbiters have some ENT; the platform account, the fee account and
/// both pallet accounts have ENT's existential deposit (the fee account and the pallet accounts
/// also USD's minimum balance); the platform fee is 1%.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with_arbiters(vec![])
}

/// [`new_test_ext`] with `arbiters` appointed at genesis.
pub fn new_test_ext_with_arbiters(arbiters: Vec<AccountId>) -> sp_io::TestExternalities {
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![
				(ALICE, 1_000_000),
				(BOB, 10_000),
				(CHARLIE, 10_000),
				(DAVE, 1_000_000),
				(ARB1, 1_000),
				(ARB2, 1_000),
				(ARB3, 1_000),
				(PLATFORM, ED),
				(FEE, ED),
				(escrow_vault(), ED),
				(vault(), ED),
			],
			..Default::default()
		},
		assets: pallet_assets::GenesisConfig {
			assets: vec![(USD, ALICE, true, 10)],
			metadata: vec![],
			accounts: vec![
				(USD, ALICE, 1_000_000),
				(USD, DAVE, 1_000_000),
				(USD, BOB, BOB_USD),
				(USD, FEE, 10),
				(USD, escrow_vault(), 10),
				(USD, vault(), 10),
			],
			next_asset_id: None,
			reserves: vec![],
		},
		escrow: pallet_escrow::GenesisConfig {
			platform_fee: Permill::from_percent(1),
			..Default::default()
		},
		disputes: pallet_disputes::GenesisConfig { arbiters },
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Checks the invariants of the disputes, orders and escrow pallets.
pub fn check_invariants() {
	Disputes::do_try_state().expect("disputes invariants hold");
	Orders::do_try_state().expect("orders invariants hold");
	Escrow::do_try_state().expect("escrow invariants hold");
}

/// Runs `test` and then checks every invariant of the three pallets.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Advances to block `n`, giving every block a hash of its own (the arbiter draw reads them)
/// and running every pallet's hooks.
pub fn run_to_block(n: u64) {
	run_to_block_with_hashes(n, |_| None);
}

/// [`run_to_block`], where `hash(block)` may give a block another hash than its usual one.
pub fn run_to_block_with_hashes(n: u64, mut hash: impl FnMut(u64) -> Option<H256>) {
	System::run_to_block_with::<AllPalletsWithSystem>(
		n,
		frame_system::RunToBlockHooks::default().before_initialize(|bn: u64| {
			let parent = hash(bn - 1)
				.unwrap_or_else(|| H256::from_low_u64_be((bn - 1).wrapping_mul(0x9E37_79B9)));
			frame_system::BlockHash::<Test>::insert(bn - 1, parent);
			System::set_parent_hash(parent);
		}),
	);
}

/// The merchant policy the tests use: ENT and USD, ship within 10, auto-confirm after 20,
/// answer within 5, return window 10, after-sales 30, holdback 10%.
pub fn policy() -> PolicyOf<Test> {
	MerchantPolicy {
		currencies: BoundedVec::truncate_from(vec![ENT, USDX]),
		ship_within: 10,
		auto_confirm_after: 20,
		refund_response_within: 5,
		return_window: 10,
		after_sales_window: 30,
		holdback: Permill::from_percent(10),
		loyalty_share: Permill::zero(),
	}
}

/// One line item of `quantity` units at `unit_price`.
pub fn items(quantity: u32, unit_price: Balance) -> BoundedVec<LineItem, ConstU32<8>> {
	BoundedVec::truncate_from(vec![LineItem {
		product: H256::repeat_byte(7),
		quantity,
		unit_price,
	}])
}

/// The events the disputes pallet emitted, oldest first.
pub fn dispute_events() -> Vec<pallet_disputes::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Disputes(e) = r.event { Some(e) } else { None })
		.collect()
}
