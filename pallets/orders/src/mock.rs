//! Test runtime: the real `pallet-balances`, `pallet-assets`, `pallet-assets-holder` and
//! `pallet-escrow`, so the tests exercise real holds and real payouts of both currency kinds.

use crate::{self as pallet_orders, *};
use entrepot_primitives::CurrencyBenchmarkHelper;
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::NativeOrWithId, ConstU128, ConstU32, ConstU64, OnIdle},
	weights::Weight,
	BoundedVec, PalletId,
};
use frame_system::EnsureRoot;
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
}

entrepot_dev::impl_test_currencies!(Test, existential_deposit: ED);

pub const ED: Balance = 10;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// A customer holding only CNY: no ENT, no USD.
pub const CAROL_CNY: AccountId = 5;
pub const FEE: AccountId = 99;
pub const USD: u32 = 1;
pub const ENT: CurrencyId = NativeOrWithId::Native;
pub const USDX: CurrencyId = NativeOrWithId::WithId(USD);
/// An asset nobody accepts.
pub const EURX: CurrencyId = NativeOrWithId::WithId(2);
pub const CNY: u32 = 3;
/// An asset merchants do not accept but customers pay in: [`FixedPool`] exchanges it for USD.
pub const CNYX: CurrencyId = NativeOrWithId::WithId(CNY);
/// The account of [`FixedPool`]'s liquidity.
pub const POOL: AccountId = 50;
/// How long a quote holds.
pub const QUOTE_LIFETIME: u64 = 5;
pub const MERCHANT_DEPOSIT: Balance = 100;
pub const ORDER_DEPOSIT: Balance = 10;
/// The timers' share of a block in `on_initialize`: with the `()` weights of the pallet (a timer
/// is started only while the heaviest kind, plus closing after failures, still fits), room for
/// three ship-by or three auto-confirm timers.
pub const TIMER_BUDGET: Weight = Weight::from_parts(4_400_000_000, 40_000);
pub const MAX_TIMER_FAILURES: u32 = 3;

parameter_types! {
	pub const FeeAccount: AccountId = FEE;
	pub const EscrowPalletId: PalletId = PalletId(*b"ent/escr");
	pub const MaxTimerWeight: Weight = TIMER_BUDGET;
	pub const MaxPlatformFee: Permill = Permill::from_percent(10);
	pub const Bounds: PolicyBoundsOf<Test> = PolicyBounds {
		ship_within: WindowBounds { min: 1, max: 1_000 },
		auto_confirm_after: WindowBounds { min: 1, max: 1_000 },
		refund_response_within: WindowBounds { min: 1, max: 1_000 },
		return_window: WindowBounds { min: 1, max: 1_000 },
		after_sales_window: WindowBounds { min: 1, max: 1_000 },
		max_holdback: Permill::from_percent(50),
	};
}

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
	fn pay_currency() -> CurrencyId {
		CNYX
	}
}

thread_local! {
	/// CNY per USD in [`FixedPool`], in thousandths: 7.021 (7 plus the pool's 0.3% fee).
	pub static CNY_PER_USD_MILLI: core::cell::Cell<u128> = const { core::cell::Cell::new(7_021) };
}

/// Moves [`FixedPool`]'s price: CNY per USD, in thousandths.
pub fn set_cny_per_usd_milli(price: u128) {
	CNY_PER_USD_MILLI.with(|p| p.set(price));
}

/// Governance's reference rates in the mock: ENT is worth 1/2 USD and 7/2 CNY.
pub const REFERENCE_RATES: &[(CurrencyId, u128, u128)] = &[(ENT, 1, 1), (USDX, 2, 1), (CNYX, 2, 7)];

/// A stand-in for the pools: exchanges CNY and USD at a price the tests set, through the
/// liquidity of [`POOL`]; the platform ([`FEE`]) converts refunds back. Deposits are valued at
/// [`REFERENCE_RATES`].
pub struct FixedPool;
impl FixedPool {
	fn price(pay: &CurrencyId, receive: &CurrencyId, amount: Balance, up: bool) -> Option<Balance> {
		let milli = CNY_PER_USD_MILLI.with(|p| p.get());
		let round = |n: u128, d: u128| if up { n.div_ceil(d) } else { n / d };
		match (pay, receive) {
			(p, r) if *p == CNYX && *r == USDX => Some(round(amount * milli, 1_000)),
			(p, r) if *p == USDX && *r == CNYX => Some(round(amount * 1_000, milli)),
			_ => None,
		}
	}
}
impl entrepot_primitives::Exchange<AccountId> for FixedPool {
	fn quote(pay: &CurrencyId, receive: &CurrencyId, amount: Balance) -> Option<Balance> {
		let cost = Self::price(pay, receive, amount, true)?;
		let depth = <Currencies as frame_support::traits::fungibles::Inspect<_>>::balance(
			receive.clone(),
			&POOL,
		);
		(amount < depth).then_some(cost)
	}
	fn buy(
		who: &AccountId,
		pay: &CurrencyId,
		receive: &CurrencyId,
		amount: Balance,
		max_pay: Balance,
		send_to: &AccountId,
	) -> Result<Balance, sp_runtime::DispatchError> {
		use frame_support::traits::{fungibles::Mutate, tokens::Preservation::Preserve};
		let cost = Self::quote(pay, receive, amount).ok_or("no route")?;
		frame_support::ensure!(cost <= max_pay, "above maximum");
		frame_support::storage::with_storage_layer(|| {
			<Currencies as Mutate<_>>::transfer(pay.clone(), who, &POOL, cost, Preserve)?;
			<Currencies as Mutate<_>>::transfer(receive.clone(), &POOL, send_to, amount, Preserve)?;
			Ok(cost)
		})
	}
	fn convert_refund(
		who: &AccountId,
		from: &CurrencyId,
		amount: Balance,
		to: &CurrencyId,
		owed: Balance,
	) -> sp_runtime::DispatchResult {
		use frame_support::traits::{
			fungibles::Mutate,
			tokens::Preservation::{Expendable, Preserve},
		};
		let out = Self::price(from, to, amount, false).ok_or("no route")?;
		frame_support::storage::with_storage_layer(|| {
			<Currencies as Mutate<_>>::transfer(to.clone(), &FEE, who, owed, Preserve)?;
			<Currencies as Mutate<_>>::transfer(from.clone(), who, &POOL, amount, Expendable)?;
			<Currencies as Mutate<_>>::transfer(to.clone(), &POOL, &FEE, out, Preserve)?;
			Ok(())
		})
	}
	fn native_value_in(currency: &CurrencyId, native: Balance) -> Option<Balance> {
		entrepot_dev::reference_value(REFERENCE_RATES, &ENT, currency, native)
	}
	fn reference_value(from: &CurrencyId, to: &CurrencyId, amount: Balance) -> Option<Balance> {
		entrepot_dev::reference_value(REFERENCE_RATES, from, to, amount)
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

/// A completion as [`RecordCompletions`] records it.
pub type CompletionOf = entrepot_primitives::Completion<AccountId, u64>;

thread_local! {
	/// What [`RecordCompletions`] was told, in order.
	pub static COMPLETIONS: core::cell::RefCell<Vec<(OrderId, CompletionOf)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Records every `on_completed` the pallet tells, to check when and with what it does.
pub struct RecordCompletions;
impl entrepot_primitives::OrderHooks<AccountId, u64> for RecordCompletions {
	fn on_completed(order: OrderId, completion: &CompletionOf) {
		COMPLETIONS.with(|list| list.borrow_mut().push((order, completion.clone())));
	}
}

/// The completions told so far.
pub fn completions() -> Vec<(OrderId, CompletionOf)> {
	COMPLETIONS.with(|c| c.borrow().clone())
}

impl pallet_orders::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type NativeBalance = Balances;
	type Holds = Holds;
	type Escrow = Escrow;
	type Exchange = FixedPool;
	type QuoteLifetime = ConstU64<QUOTE_LIFETIME>;
	type Hooks = (RecordCompletions, ());
	type AdminOrigin = EnsureRoot<AccountId>;
	type MerchantDeposit = ConstU128<MERCHANT_DEPOSIT>;
	type OrderDepositBase = ConstU128<ORDER_DEPOSIT>;
	type OrderDepositPerByte = ConstU128<1>;
	type MaxCurrencies = ConstU32<4>;
	type MaxItems = ConstU32<8>;
	type MaxEncryptedLen = ConstU32<64>;
	type MaxTimerWeight = MaxTimerWeight;
	type MaxTimerFailures = ConstU32<MAX_TIMER_FAILURES>;
	type MaxPageSize = ConstU32<10>;
	type RetryDelay = ConstU64<5>;
	type DefaultPolicyBounds = Bounds;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// The escrow account, which holds every order's escrowed money.
pub fn vault() -> AccountId {
	Escrow::account_id()
}

/// Genesis: ALICE and DAVE are customers rich in ENT and USD, BOB and CHARLIE have some ENT
/// and no USD, the fee account and the escrow account have ENT's existential deposit and USD's
/// minimum balance; the platform fee is 1%.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![
				(ALICE, 1_000_000),
				(BOB, 10_000),
				(CHARLIE, 10_000),
				(DAVE, 1_000_000),
				(FEE, ED),
				(vault(), ED),
			],
			..Default::default()
		},
		assets: pallet_assets::GenesisConfig {
			assets: vec![(USD, ALICE, true, 10), (2, ALICE, true, 10), (CNY, ALICE, true, 10)],
			metadata: vec![],
			accounts: vec![
				(USD, ALICE, 1_000_000),
				(USD, DAVE, 1_000_000),
				(USD, FEE, 10),
				(USD, vault(), 10),
				(USD, POOL, 10_000_000_000_000),
				(CNY, POOL, 70_000_000_000_000),
				(CNY, FEE, 1_000_000),
				(CNY, CAROL_CNY, 10_000_000),
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

/// Checks both pallets' invariants.
pub fn check_invariants() {
	Orders::do_try_state().expect("orders invariants hold");
	Escrow::do_try_state().expect("escrow invariants hold");
}

/// Runs `test` and then checks every invariant of both pallets.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Advances to block `n`, running every pallet's hooks in every block (`on_idle` without any
/// weight left: only `on_initialize`'s budget fires timers).
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Advances to block `n` like [`run_to_block`], with a whole empty block's weight for
/// `on_idle` in every block it enters: `on_initialize`, then `on_idle`, so that block `n`'s
/// idle time is spent when this returns.
pub fn run_to_block_with_idle(n: u64) {
	System::run_to_block_with::<AllPalletsWithSystem>(
		n,
		frame_system::RunToBlockHooks::default().after_initialize(|bn| {
			<AllPalletsWithSystem as OnIdle<u64>>::on_idle(bn, Weight::MAX);
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

/// The events the orders pallet emitted, oldest first.
pub fn order_events() -> Vec<pallet_orders::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Orders(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The events the escrow pallet emitted, oldest first.
pub fn escrow_events() -> Vec<pallet_escrow::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Escrow(e) = r.event { Some(e) } else { None })
		.collect()
}
