//! # Loyalty pallet
//!
//! Entrepot's marketing incentive (paper, section 3.1): after the goods arrive, customers
//! confirm receipt and evaluate the goods to obtain the platform's token.
//!
//! ## Overview
//!
//! The **token** is a `pallet-assets` asset ([`Config::TokenId`]) whose admin is this pallet's
//! account ([`Config::PalletId`], see [`Pallet::account_id`]): only this pallet mints it (as
//! rewards) and burns it (when it is redeemed). The token is transferable between accounts:
//! `pallet-assets` has no per-asset transfer switch that would not also block minting, so a
//! customer may give or sell its tokens; what counts is that they are only created by rewards
//! and only destroyed by redemptions.
//!
//! **Earning.** When an order's receipt is confirmed, the orders pallet tells this pallet
//! ([`entrepot_primitives::OrderHooks::on_completed`]); the order can then be reviewed by its
//! customer, once, within the governance-set review window ([`Pallet::review`]: a rating from
//! 1 to 5 and the hash of the review text, kept off chain). The review earns the customer
//! `value × reward_rate` converted to tokens at `tokens_per_unit` (both per currency, see
//! [`CurrencyRate`]), capped per order and per account per period ([`LoyaltyLimits`]), and
//! never worth more than [`Config::RewardShareOfFees`] of the platform fees the order paid
//! (valued at the same `tokens_per_unit` at which tokens are redeemed): whatever a customer
//! and a merchant who are one person do, the platform collected more in fees than the tokens
//! it rewarded are worth, whatever rates governance sets. Orders below the currency's
//! minimum, in a currency without a rate, or reviewed while earning is paused earn nothing.
//! The reward **vests**: it is minted when the order's after-sales window closes (at once for a
//! direct order, which has none); refunds before then shrink it in proportion (clawback).
//! A reward below the token's minimum balance vests only to an account that already holds the
//! token: to one that holds none it cannot be minted, and it lapses at once
//! ([`Event::RewardLapsed`]) rather than being retried.
//!
//! **Reputation.** A review of an order worth at least its currency's `min_order_value` adds
//! to its merchant's [`Reputation`] (count and sum of ratings) and to its [`RecentReviews`]
//! (the last [`Config::MaxRecentReviews`]), readable through [`runtime_api::LoyaltyApi`]; a
//! review of a smaller order (or in a currency without a rate) is recorded in its event only,
//! so reputation cannot be bought with dust orders.
//!
//! **Spending.** A merchant whose policy has a `loyalty_share` accepts the token for up to
//! that share of an order: [`Pallet::redeem`] burns the customer's tokens and returns the
//! equivalent (at the same `tokens_per_unit`) from the open escrow order to the customer, so
//! the merchant funds the promotion it opted into. A redemption leaves the customer no tokens
//! or at least the token's minimum balance ([`Error::WouldLeaveDust`]), so that exactly the
//! tokens redeemed are burnt and [`TokenIssued`] stays the token's supply.
//!
//! ## Terminology
//!
//! - **Completed order**: an order whose receipt was confirmed and that is not reviewed yet
//!   ([`CompletedOrders`]); forgotten when the review window closes.
//! - **Pending reward**: a review's reward before it vests ([`PendingRewards`]); their sum is
//!   [`TotalPending`].
//! - **Timer**: a review window's end or a vesting date, one per order at a time, processed by
//!   the chain itself within [`Config::MaxTimerWeight`] in `on_initialize` and with what the
//!   block leaves in `on_idle`, like the orders pallet's timers.
//!
//! ## Interface
//!
//! Customers: [`Pallet::review`], [`Pallet::redeem`].
//! Governance ([`Config::AdminOrigin`]): [`Pallet::set_currency_rate`], [`Pallet::set_limits`],
//! [`Pallet::set_earning_paused`].
//! Orders: [`entrepot_primitives::OrderHooks`] (`on_completed`, `on_refunded`).
//! Queries for the runtime API ([`runtime_api::LoyaltyApi`]): [`Pallet::reputation`],
//! [`Pallet::recent_reviews`], [`Pallet::completed_order`], [`Pallet::pending_reward`],
//! [`Pallet::currency_rate`].

#![cfg_attr(not(feature = "std"), no_std)]
// No panics in a dispatchable, a hook or a trait the runtime calls: what could panic is a lint
// error outside tests (benchmarks opt out module by module: a failed set-up must stop them).
#![cfg_attr(
	not(test),
	warn(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects
	)
)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod impls;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use entrepot_primitives::{AssetId, Balance, CurrencyId, OrderId};

// FRAME's macros expand `expect`s of their own into this module (storage prefixes, error
// metadata); the module holds only the calls' thin wrappers, and the logic they call lives
// outside it, where the lint applies.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use entrepot_primitives::OrderDiscounts;
	use frame_support::{pallet_prelude::*, traits::fungibles, PalletId};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{traits::Zero, Permill};

	/// The in-code storage version.
	///
	/// - v1: the token is sufficient, with a minimum balance that deters dust accounts, so that
	///   a customer without a native-token account can hold it. Nothing in this pallet's own
	///   storage changed: the token's details live in `pallet-assets`, and the runtime migrates
	///   them, versioned by this pallet so that the migration runs once.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the loyalty pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The assets pallet holding the token.
		type Assets: fungibles::Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>;

		/// The token's asset id. The asset must exist, with this pallet's account as admin;
		/// sufficient, so that an account without the native token can hold it.
		#[pallet::constant]
		type TokenId: Get<AssetId>;

		/// This pallet's id; its account administers the token.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The orders: discounts against open escrow orders.
		type Orders: OrderDiscounts<Self::AccountId>;

		/// Who may set rates and limits and pause earning.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most a reward may be worth, as a share of the platform fees its order paid
		/// (below 100%: self-dealing never earns more than it paid).
		#[pallet::constant]
		type RewardShareOfFees: Get<Permill>;

		/// The most weight `on_initialize` spends on due timers in one block; `on_idle` spends
		/// what the block leaves over on more.
		#[pallet::constant]
		type MaxTimerWeight: Get<Weight>;

		/// After this many failures to mint a vested reward (each retried after
		/// [`Config::RetryDelay`]), the reward lapses ([`Event::RewardLapsed`]).
		#[pallet::constant]
		type MaxTimerFailures: Get<u32>;

		/// The most recent reviews kept per merchant.
		#[pallet::constant]
		type MaxRecentReviews: Get<u32>;

		/// The most reviews one inquiry returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// How long to wait before retrying a vesting that failed or whose order is still
		/// open.
		#[pallet::constant]
		type RetryDelay: Get<BlockNumberFor<Self>>;

		/// The limits until governance sets others.
		#[pallet::constant]
		type DefaultLimits: Get<LimitsOf<Self>>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up discountable orders for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: entrepot_primitives::LoyaltyBenchmarkHelper<Self::AccountId>;
	}

	/// The limits until governance sets others: [`Config::DefaultLimits`].
	#[pallet::type_value]
	pub fn DefaultLimitsValue<T: Config>() -> LimitsOf<T> {
		T::DefaultLimits::get()
	}

	/// The limits on earning in force.
	#[pallet::storage]
	pub type Limits<T: Config> = StorageValue<_, LimitsOf<T>, ValueQuery, DefaultLimitsValue<T>>;

	/// Governance's terms per currency; a currency without an entry earns nothing and cannot
	/// be discounted.
	#[pallet::storage]
	pub type CurrencyRates<T: Config> = StorageMap<_, Blake2_128Concat, CurrencyId, CurrencyRate>;

	/// Whether earning is paused (reviews still count for reputation, pending rewards still
	/// vest, redemption still works).
	#[pallet::storage]
	pub type EarningPaused<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Orders whose receipt was confirmed and that are not reviewed yet.
	#[pallet::storage]
	pub type CompletedOrders<T: Config> = StorageMap<_, Twox64Concat, OrderId, CompletedOrderOf<T>>;

	/// Rewards of reviewed orders, waiting to vest.
	#[pallet::storage]
	pub type PendingRewards<T: Config> = StorageMap<_, Twox64Concat, OrderId, PendingRewardOf<T>>;

	/// The sum of the [`PendingRewards`].
	#[pallet::storage]
	pub type TotalPending<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Tokens minted as rewards minus tokens burnt by redemptions: the token's supply.
	#[pallet::storage]
	pub type TokenIssued<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Every merchant's rating over all its reviews.
	#[pallet::storage]
	pub type ReputationOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Reputation>;

	/// Every merchant's most recent reviews, oldest first.
	#[pallet::storage]
	pub type RecentReviews<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, RecentReviewsOf<T>, ValueQuery>;

	/// What every account earned in its latest period of earning.
	#[pallet::storage]
	pub type EarningsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PeriodEarnings<BlockNumberFor<T>>>;

	/// Timers by the block they are due in and their order: one per completed or rewarded
	/// order (see [`entrepot_primitives::DueQueue`]).
	#[pallet::storage]
	pub type Timers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, OrderId, Timer>;

	/// The block each order's timer is due in (the index of [`Timers`] by order).
	#[pallet::storage]
	pub type TimerAt<T: Config> = StorageMap<_, Twox64Concat, OrderId, BlockNumberFor<T>>;

	/// The oldest block whose timers are not all processed yet.
	#[pallet::storage]
	pub type TimerCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Genesis configuration: the currencies that earn rewards from the first block.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Governance's terms per currency, as [`Pallet::set_currency_rate`] would set them.
		pub currency_rates: alloc::vec::Vec<(CurrencyId, CurrencyRate)>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _marker: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (currency, rate) in &self.currency_rates {
				assert!(Pallet::<T>::rate_valid(rate), "invalid loyalty rate for {currency:?}");
				CurrencyRates::<T>::insert(currency, rate);
			}
		}
	}

	/// Events: reviews, rewards and their vesting, redemptions, governance.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An order's receipt was confirmed: its customer may review it until `review_by`.
		OrderReviewable {
			/// The order.
			order_id: OrderId,
			/// Its customer.
			customer: T::AccountId,
			/// What it is worth.
			value: Balance,
			/// The review window closes at this block.
			review_by: BlockNumberFor<T>,
		},
		/// A vested reward could not be minted [`Config::MaxTimerFailures`] times (the
		/// customer's account cannot hold the token any more), or at once because it is below
		/// the token's minimum balance and the customer holds none of the token: it lapsed.
		RewardLapsed {
			/// The order.
			order_id: OrderId,
			/// The customer.
			customer: T::AccountId,
			/// The tokens not minted.
			amount: Balance,
		},
		/// A customer reviewed an order.
		Reviewed {
			/// The order.
			order_id: OrderId,
			/// The customer.
			customer: T::AccountId,
			/// The merchant.
			merchant: T::AccountId,
			/// From 1 to 5.
			rating: u8,
			/// Hash of the review text.
			review_hash: H256,
			/// The reward earned, in token base units (0: none).
			reward: Balance,
			/// Whether the review counts for the merchant's reputation (the order was worth at
			/// least its currency's `min_order_value`).
			counted: bool,
			/// When it vests.
			vests_at: BlockNumberFor<T>,
		},
		/// A reward shrank because part of its order was refunded.
		RewardClawedBack {
			/// The order.
			order_id: OrderId,
			/// The tokens taken off the reward.
			amount: Balance,
			/// What is left of the reward.
			remaining: Balance,
		},
		/// A reward vested: the tokens were minted to the customer.
		RewardVested {
			/// The order.
			order_id: OrderId,
			/// The customer.
			customer: T::AccountId,
			/// The tokens minted.
			amount: Balance,
		},
		/// The review window of an order closed without a review.
		ReviewWindowClosed {
			/// The order.
			order_id: OrderId,
		},
		/// A customer paid part of an order with tokens.
		Redeemed {
			/// The order.
			order_id: OrderId,
			/// The customer.
			customer: T::AccountId,
			/// The tokens burnt.
			tokens: Balance,
			/// What was returned from the order's escrow, in its currency.
			discount: Balance,
		},
		/// Governance set (or removed) a currency's rate.
		CurrencyRateSet {
			/// The currency.
			currency: CurrencyId,
			/// The rate; `None` removes it.
			rate: Option<CurrencyRate>,
		},
		/// Governance set the limits.
		LimitsSet {
			/// The limits.
			limits: LimitsOf<T>,
		},
		/// Governance paused or resumed earning.
		EarningPausedSet {
			/// Whether earning is paused.
			paused: bool,
		},
		/// A timer's action failed (or its order is still open); it is retried at `retry_at`.
		TimerPostponed {
			/// The order.
			order_id: OrderId,
			/// The timer.
			kind: TimerKind,
			/// Why, if it failed.
			error: Option<DispatchError>,
			/// How many times it failed so far.
			failures: u32,
			/// When it is retried.
			retry_at: BlockNumberFor<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The order is not waiting for a review: unknown, not completed yet, already reviewed
		/// or its review window closed.
		NotReviewable,
		/// The caller is not the order's customer.
		NotCustomer,
		/// A rating must be from 1 to 5.
		InvalidRating,
		/// The review window of the order has closed.
		ReviewWindowClosed,
		/// The order cannot be paid with tokens: not an open escrow order before settlement.
		NotRedeemable,
		/// The merchant does not accept tokens for this order.
		LoyaltyNotAccepted,
		/// The order's currency has no rate.
		NoRate,
		/// The amount is zero.
		ZeroAmount,
		/// The tokens are worth less than one unit of the order's currency.
		RedemptionTooSmall,
		/// The discount would exceed the share of the order the merchant accepts in tokens.
		ExceedsLoyaltyShare,
		/// The caller does not have that many tokens.
		InsufficientTokens,
		/// The rate is invalid: `tokens_per_unit` must be positive.
		InvalidRate,
		/// The limits are invalid: the period and the review window must be positive.
		InvalidLimits,
		/// The order has no timer that is due.
		NothingDue,
		/// An amount overflowed.
		Overflow,
		/// Redeeming this amount would leave less than the token's minimum balance: redeem all,
		/// or leave at least the minimum.
		WouldLeaveDust,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Processes due timers within [`Config::MaxTimerWeight`]; what does not fit is
		/// processed by `on_idle` or in the next block. Returns the weight used.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_timers(now, T::MaxTimerWeight::get())
		}

		/// Processes more due timers with what the block left over.
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::process_timers(now, remaining)
		}

		fn integrity_test() {
			assert!(
				T::RewardShareOfFees::get() < Permill::one(),
				"rewards worth all the fees would make self-dealing free"
			);
			assert!(T::MaxTimerFailures::get() > 0, "MaxTimerFailures must be positive");
			assert!(T::MaxRecentReviews::get() > 0, "MaxRecentReviews must be positive");
			assert!(T::MaxPageSize::get() > 0, "MaxPageSize must be positive");
			assert!(!T::RetryDelay::get().is_zero(), "RetryDelay must be positive");
			assert!(Self::limits_valid(&T::DefaultLimits::get()), "DefaultLimits are invalid");
			crate::impls::TimerQueue::<T>::integrity_test(
				"MaxTimerWeight",
				T::MaxTimerWeight::get(),
				Self::heaviest_timer(),
				T::DbWeight::get(),
				<T as frame_system::Config>::BlockWeights::get().max_block,
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reviews a completed order: a verified-purchase review that earns the customer a
		/// reward, minted when the order's after-sales window closes.
		///
		/// The order's customer, once, within the review window. `rating` from 1 to 5;
		/// `review_hash` the hash of the review text (kept off chain). The reward is
		/// `value × reward_rate × tokens_per_unit` of the order's currency, capped per order
		/// and per account per period and by [`Config::RewardShareOfFees`] of the fees the
		/// order paid; none while earning is paused, below the currency's minimum or without a
		/// rate (and then the review does not count for reputation either).
		///
		/// Emits [`Event::Reviewed`] (and, if it vests at once, [`Event::RewardVested`], or
		/// [`Event::RewardLapsed`] for a reward below the token's minimum balance to a customer
		/// who holds none of the token). Fails with [`Error::InvalidRating`],
		/// [`Error::NotReviewable`], [`Error::NotCustomer`], [`Error::ReviewWindowClosed`] or
		/// [`Error::Overflow`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::review().max(T::WeightInfo::review_vested()))]
		pub fn review(
			origin: OriginFor<T>,
			order_id: OrderId,
			rating: u8,
			review_hash: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_review(who, order_id, rating, review_hash)
		}

		/// Pays part of an open escrow order with tokens: burns `amount` tokens and returns
		/// their worth (`amount / tokens_per_unit`, rounded down) from the order's escrow to
		/// the customer.
		///
		/// The order's customer, before the order settles, within the share of the order its
		/// merchant's policy accepts in tokens (cumulative over redemptions), leaving itself no
		/// tokens or at least the token's minimum balance.
		///
		/// Emits [`Event::Redeemed`] (and the orders pallet's `LoyaltyDiscountPaid` and
		/// `RefundPaid`). Fails with [`Error::ZeroAmount`], [`Error::NotRedeemable`],
		/// [`Error::NotCustomer`], [`Error::LoyaltyNotAccepted`], [`Error::NoRate`],
		/// [`Error::RedemptionTooSmall`], [`Error::ExceedsLoyaltyShare`],
		/// [`Error::InsufficientTokens`] or [`Error::WouldLeaveDust`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::redeem())]
		pub fn redeem(origin: OriginFor<T>, order_id: OrderId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_redeem(who, order_id, amount)
		}

		/// Sets a currency's rate, or removes it (`None`: the currency earns nothing and cannot
		/// be discounted). Pending rewards keep the rate they were earned at.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::CurrencyRateSet`]. Fails with
		/// [`Error::InvalidRate`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_currency_rate())]
		pub fn set_currency_rate(
			origin: OriginFor<T>,
			currency: CurrencyId,
			rate: Option<CurrencyRate>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_currency_rate(currency, rate)
		}

		/// Sets the caps, the period length and the review window. A new review window
		/// applies to orders completed from now on.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::LimitsSet`]. Fails with
		/// [`Error::InvalidLimits`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_limits())]
		pub fn set_limits(origin: OriginFor<T>, limits: LimitsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_limits(limits)
		}

		/// Fires the order's due timer now: vests a reward (once its order is archived; one
		/// below the token's minimum balance, to a customer who holds none, lapses) or closes a
		/// review window.
		///
		/// Any signed account. Emits the events of the timer's action. Fails with
		/// [`Error::NothingDue`], or the action's error (nothing changes; the chain retries
		/// it).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::poke().max(Pallet::<T>::heaviest_timer()))]
		pub fn poke(origin: OriginFor<T>, order_id: OrderId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_poke(order_id)
		}

		/// Pauses or resumes earning. While paused, reviews earn nothing; everything else
		/// works.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::EarningPausedSet`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_earning_paused())]
		pub fn set_earning_paused(origin: OriginFor<T>, paused: bool) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_earning_paused(paused)
		}
	}
}
