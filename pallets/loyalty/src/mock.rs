//! Test runtime: the real `pallet-balances`, `pallet-assets` (stablecoin and token),
//! `pallet-assets-holder`, `pallet-escrow` and `pallet-orders` (telling this pallet through
//! its hooks), so the tests review real orders, refund real escrow and mint and burn a real
//! token.

use crate::{self as pallet_loyalty, *};
use entrepot_primitives::CurrencyBenchmarkHelper;
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::NativeOrWithId, ConstU128, ConstU32, ConstU64, OnIdle},
	weights::Weight,
	BoundedVec, PalletId,
};
use frame_system::EnsureRoot;
use pallet_orders::{
	LineItem, MerchantPolicy, PolicyBounds, PolicyBoundsOf, PolicyOf, WindowBounds,
};
use sp_core::H256;
use sp_runtime::{BuildStorage, FixedU128, Permill};

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
	pub type Loyalty = pallet_loyalty;
}

entrepot_dev::impl_test_currencies!(Test, existential_deposit: ED);

pub const ED: Balance = 10;
/// A customer, rich in ENT and USD.
pub const ALICE: AccountId = 1;
/// The merchant of every test order.
pub const BOB: AccountId = 2;
/// Nobody's party: some ENT, no USD.
pub const CHARLIE: AccountId = 3;
/// Another customer, rich in ENT and USD.
pub const DAVE: AccountId = 4;
/// An account that holds nothing at genesis.
pub const EVE: AccountId = 5;
/// The escrow's platform fee account.
pub const FEE: AccountId = 99;
pub const USD: u32 = 1;
/// The loyalty token's asset id.
pub const LOY: u32 = 7;
/// The token's minimum balance: 100 tokens, worth one USD base unit at USD's rate, the
/// smallest discount a redemption pays. The token is sufficient, as in the runtime.
pub const TOKEN_MIN_BALANCE: Balance = 100;
pub const ENT: CurrencyId = NativeOrWithId::Native;
pub const USDX: CurrencyId = NativeOrWithId::WithId(USD);
/// The loyalty hook's budget in `on_initialize` has room for this many timers of the
/// heaviest kind (a vesting).
pub const MAX_TIMERS: u64 = 4;
/// A vesting whose mint fails this many times lapses.
pub const MAX_TIMER_FAILURES: u32 = 3;
/// The orders pallet's budget for its timers in `on_initialize` (as in its own mock).
pub const ORDERS_TIMER_BUDGET: Weight = Weight::from_parts(4_000_000_000, 40_000);
/// A reward is worth at most half the platform fees its order paid.
pub const REWARD_SHARE_OF_FEES: Permill = Permill::from_percent(50);
/// The platform fee: 20%, so that at the usual holdback of 10% the fees taken at confirmation
/// are 18% of an order's value and half of them (9%) bound no reward of USD's 5% rate; only the
/// tests of that bound lower the fee.
pub const PLATFORM_FEE: Permill = Permill::from_percent(20);
pub const MAX_RECENT: u32 = 3;
pub const RETRY_DELAY: u64 = 5;
/// Per order at most 10_000 tokens; per account and period of 100 blocks at most 12_000;
/// reviews within 50 blocks of confirmation.
pub const LIMITS: LimitsOf<Test> =
	LoyaltyLimits { per_order_cap: 10_000, per_period_cap: 12_000, period: 100, review_window: 50 };

parameter_types! {
	pub const FeeAccount: AccountId = FEE;
	/// A `u64` account keeps only the first 8 bytes of `b"modl"` and the pallet id: the escrow's
	/// id must differ from the loyalty pallet's in its first four bytes.
	pub const EscrowPalletId: PalletId = PalletId(*b"escr/ent");
	pub const MaxPlatformFee: Permill = Permill::from_percent(20);
	pub const OrdersTimerBudget: Weight = ORDERS_TIMER_BUDGET;
	pub const RewardShareOfFees: Permill = REWARD_SHARE_OF_FEES;
	/// Room for [`MAX_TIMERS`] vestings, the heaviest timers (the test weights are the `()`
	/// weights of the pallet).
	pub TimerBudget: Weight =
		<() as crate::WeightInfo>::timer_vest().saturating_mul(MAX_TIMERS);
	pub const Bounds: PolicyBoundsOf<Test> = PolicyBounds {
		ship_within: WindowBounds { min: 1, max: 1_000 },
		auto_confirm_after: WindowBounds { min: 1, max: 1_000 },
		refund_response_within: WindowBounds { min: 1, max: 1_000 },
		return_window: WindowBounds { min: 1, max: 1_000 },
		after_sales_window: WindowBounds { min: 1, max: 1_000 },
		max_holdback: Permill::from_percent(50),
	};
	pub const TokenId: AssetId = LOY;
	pub const LoyaltyPalletId: PalletId = PalletId(*b"ent/loya");
	pub const DefaultLimits: LimitsOf<Test> = LIMITS;
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
}

/// Sets up discountable orders for the benchmarks with the real orders pallet.
#[allow(dead_code)]
pub struct LoyaltyBenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl entrepot_primitives::LoyaltyBenchmarkHelper<AccountId> for LoyaltyBenchHelper {
	fn currency() -> CurrencyId {
		USDX
	}
	fn discountable_order(
		customer: &AccountId,
		merchant: &AccountId,
		amount: Balance,
		loyalty_share: Permill,
	) -> OrderId {
		Orders::benchmark_discountable_order(customer, merchant, amount, loyalty_share)
			.expect("the mock sets up discountable orders")
	}
	fn endow(who: &AccountId) {
		BenchHelper::fund(who, USDX, 0);
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
	type Hooks = (Loyalty,);
	type AdminOrigin = EnsureRoot<AccountId>;
	type MerchantDeposit = ConstU128<100>;
	type OrderDepositBase = ConstU128<10>;
	type OrderDepositPerByte = ConstU128<1>;
	type MaxCurrencies = ConstU32<4>;
	type MaxItems = ConstU32<8>;
	type MaxEncryptedLen = ConstU32<64>;
	type MaxTimerWeight = OrdersTimerBudget;
	type MaxTimerFailures = ConstU32<3>;
	type MaxPageSize = ConstU32<10>;
	type RetryDelay = ConstU64<5>;
	type DefaultPolicyBounds = Bounds;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

impl pallet_loyalty::Config for Test {
	type Assets = Assets;
	type TokenId = TokenId;
	type PalletId = LoyaltyPalletId;
	type Orders = Orders;
	type AdminOrigin = EnsureRoot<AccountId>;
	type RewardShareOfFees = RewardShareOfFees;
	type MaxTimerWeight = TimerBudget;
	type MaxTimerFailures = ConstU32<MAX_TIMER_FAILURES>;
	type MaxRecentReviews = ConstU32<MAX_RECENT>;
	type MaxPageSize = ConstU32<2>;
	type RetryDelay = ConstU64<RETRY_DELAY>;
	type DefaultLimits = DefaultLimits;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = LoyaltyBenchHelper;
}

/// USD: 5% back, 100 tokens per base unit, orders from 100 earn.
pub fn usd_rate() -> CurrencyRate {
	CurrencyRate {
		reward_rate: Permill::from_percent(5),
		tokens_per_unit: FixedU128::from_u32(100),
		min_order_value: 100,
	}
}

/// ENT: 1% back, half a token per base unit, orders from 100 earn.
pub fn ent_rate() -> CurrencyRate {
	CurrencyRate {
		reward_rate: Permill::from_percent(1),
		tokens_per_unit: FixedU128::from_rational(1, 2),
		min_order_value: 100,
	}
}

/// The escrow account, which holds every order's escrowed money.
pub fn vault() -> AccountId {
	Escrow::account_id()
}

/// Genesis: ALICE and DAVE are customers rich in ENT and USD; BOB (the merchant) and CHARLIE
/// have some ENT; the fee account and the escrow account have ENT's existential deposit and
/// USD's minimum balance; the platform fee is [`PLATFORM_FEE`]. The token exists, sufficient
/// with minimum balance [`TOKEN_MIN_BALANCE`], with the loyalty pallet's account as owner;
/// nobody holds any. USD and ENT have the rates of [`usd_rate`] and [`ent_rate`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	let loyalty = Loyalty::account_id();
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
				(loyalty, ED),
			],
			..Default::default()
		},
		assets: pallet_assets::GenesisConfig {
			assets: vec![(USD, ALICE, true, 10), (LOY, loyalty, true, TOKEN_MIN_BALANCE)],
			metadata: vec![],
			accounts: vec![
				(USD, ALICE, 1_000_000),
				(USD, DAVE, 1_000_000),
				(USD, FEE, 10),
				(USD, vault(), 10),
			],
			next_asset_id: None,
			reserves: vec![],
		},
		escrow: pallet_escrow::GenesisConfig { platform_fee: PLATFORM_FEE, ..Default::default() },
		loyalty: pallet_loyalty::GenesisConfig {
			currency_rates: vec![(USDX, usd_rate()), (ENT, ent_rate())],
			..Default::default()
		},
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
	});
	ext
}

/// The token balance of `who`.
pub fn tokens(who: AccountId) -> Balance {
	<Assets as frame_support::traits::fungibles::Inspect<_>>::balance(LOY, &who)
}

/// The token's supply as `pallet-assets` records it.
pub fn token_supply() -> Balance {
	<Assets as frame_support::traits::fungibles::Inspect<_>>::total_issuance(LOY)
}

/// Checks the invariants of loyalty, orders and escrow, and that the token's supply is the sum
/// of its balances (what `pallet-assets` checks under `try-runtime`).
pub fn check_invariants() {
	Loyalty::do_try_state().expect("loyalty invariants hold");
	Orders::do_try_state().expect("orders invariants hold");
	Escrow::do_try_state().expect("escrow invariants hold");
	let sum: Balance =
		pallet_assets::Account::<Test>::iter_prefix(LOY).map(|(_, a)| a.balance).sum();
	assert_eq!(sum, token_supply(), "token supply is the sum of its balances");
}

/// Runs `test` and then checks every invariant.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Advances to block `n`, running every pallet's hooks in every block (the orders' before the
/// loyalty pallet's; `on_idle` without any weight left: only `on_initialize`'s budget fires
/// timers).
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Advances to block `n` like [`run_to_block`], with a whole empty block's weight for
/// `on_idle` in every block.
pub fn run_to_block_with_idle(n: u64) {
	System::run_to_block_with::<AllPalletsWithSystem>(
		n,
		frame_system::RunToBlockHooks::default().before_finalize(|bn| {
			AllPalletsWithSystem::on_idle(bn, Weight::MAX);
		}),
	);
}

/// The merchant policy the tests use: ENT and USD, ship within 10, auto-confirm after 20,
/// answer within 5, return window 10, after-sales 30, holdback 10%, tokens for up to 10%.
pub fn policy() -> PolicyOf<Test> {
	MerchantPolicy {
		currencies: BoundedVec::truncate_from(vec![ENT, USDX]),
		ship_within: 10,
		auto_confirm_after: 20,
		refund_response_within: 5,
		return_window: 10,
		after_sales_window: 30,
		holdback: Permill::from_percent(10),
		loyalty_share: Permill::from_percent(10),
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

/// The events the loyalty pallet emitted, oldest first.
pub fn loyalty_events() -> Vec<pallet_loyalty::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Loyalty(e) = r.event { Some(e) } else { None })
		.collect()
}
