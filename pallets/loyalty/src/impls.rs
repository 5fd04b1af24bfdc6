//! Shared internals of the loyalty pallet: reads and queries, checks, the arithmetic of
//! rewards and redemptions, the steps every feature ends with (schedule, vest, mint), the orders'
//! hooks and the `try_state` invariants.

use crate::{pallet::*, types::*, Balance, CurrencyId, OrderId};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use entrepot_primitives::{Completion, DueQueue, OrderHooks};
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{DepositConsequence, Provenance},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{AccountIdConversion, CheckedDiv, One, Saturating, Zero},
	DispatchResult, FixedPointNumber, FixedU128, Rounding,
};

/// The timer queue: [`Timers`] by block and order, [`TimerAt`] and [`TimerCursor`].
pub(crate) type TimerQueue<T> =
	DueQueue<BlockNumberFor<T>, OrderId, Timer, Timers<T>, TimerAt<T>, TimerCursor<T>>;

impl<T: Config> Pallet<T> {
	// ---- Reads and queries -------------------------------------------------------------------

	/// This pallet's account: the token's admin.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// A merchant's rating over all its reviews (runtime API helper).
	pub fn reputation(merchant: T::AccountId) -> Reputation {
		ReputationOf::<T>::get(merchant).unwrap_or_default()
	}

	/// A page of a merchant's recent reviews, newest first, skipping the `skip` newest
	/// (runtime API helper). At most [`Config::MaxPageSize`] reviews.
	pub fn recent_reviews(merchant: T::AccountId, skip: u32, limit: u32) -> Vec<ReviewOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		RecentReviews::<T>::get(merchant)
			.into_inner()
			.into_iter()
			.rev()
			.skip(skip as usize)
			.take(limit)
			.collect()
	}

	/// A completed order waiting for its review (runtime API helper).
	pub fn completed_order(order_id: OrderId) -> Option<CompletedOrderOf<T>> {
		CompletedOrders::<T>::get(order_id)
	}

	/// A reward waiting to vest (runtime API helper).
	pub fn pending_reward(order_id: OrderId) -> Option<PendingRewardOf<T>> {
		PendingRewards::<T>::get(order_id)
	}

	/// A currency's rate (runtime API helper).
	pub fn currency_rate(currency: CurrencyId) -> Option<CurrencyRate> {
		CurrencyRates::<T>::get(currency)
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	// ---- Checks ------------------------------------------------------------------------------

	pub(crate) fn limits_valid(limits: &LimitsOf<T>) -> bool {
		!limits.period.is_zero() && !limits.review_window.is_zero()
	}

	/// A rate must convert to a positive number of tokens.
	pub(crate) fn rate_valid(rate: &CurrencyRate) -> bool {
		!rate.tokens_per_unit.is_zero()
	}

	// ---- Arithmetic --------------------------------------------------------------------------

	/// Whether an order of `value` in `currency` is large enough to earn a reward and to
	/// count for its merchant's reputation: its currency has a rate and `value` is at least
	/// the rate's `min_order_value`.
	pub(crate) fn counts(currency: &CurrencyId, value: Balance) -> bool {
		CurrencyRates::<T>::get(currency).is_some_and(|rate| value >= rate.min_order_value)
	}

	/// The tokens an order of `value` in `currency`, which paid `fees` to the platform, earns
	/// before the per-order and per-period caps: `value × reward_rate` (rounded down), but no
	/// more than [`Config::RewardShareOfFees`] of `fees`, converted at `tokens_per_unit`
	/// (rounded down). Zero without a rate, below the minimum, or while earning is paused.
	///
	/// The bound makes self-dealing unprofitable whatever the rates: redeemed at the same
	/// `tokens_per_unit`, the reward is worth less than the fees its order paid.
	pub(crate) fn uncapped_reward(currency: &CurrencyId, value: Balance, fees: Balance) -> Balance {
		if EarningPaused::<T>::get() || !Self::counts(currency, value) {
			return 0;
		}
		let Some(rate) = CurrencyRates::<T>::get(currency) else { return 0 };
		let worth = rate
			.reward_rate
			.mul_floor(value)
			.min(T::RewardShareOfFees::get().mul_floor(fees));
		rate.tokens_per_unit.saturating_mul_int(worth)
	}

	/// What `tokens` are worth in a currency of `tokens_per_unit`, rounded down.
	pub(crate) fn tokens_to_value(tokens: Balance, tokens_per_unit: FixedU128) -> Balance {
		if tokens_per_unit.is_zero() {
			return 0;
		}
		multiply_by_rational_with_rounding(
			tokens,
			FixedU128::DIV,
			tokens_per_unit.into_inner(),
			Rounding::Down,
		)
		.unwrap_or(Balance::MAX)
	}

	/// `reward × new_value / old_value`, rounded down (the reward after a refund).
	pub(crate) fn shrink(reward: Balance, new_value: Balance, old_value: Balance) -> Balance {
		if old_value.is_zero() {
			return 0;
		}
		multiply_by_rational_with_rounding(reward, new_value, old_value, Rounding::Down)
			.unwrap_or(0)
			.min(reward)
	}

	/// The current period of the limits in force.
	pub(crate) fn period_of(now: BlockNumberFor<T>, limits: &LimitsOf<T>) -> BlockNumberFor<T> {
		if limits.period.is_zero() {
			return Zero::zero();
		}
		now.checked_div(&limits.period).unwrap_or_else(Zero::zero)
	}

	// ---- Steps -------------------------------------------------------------------------------

	/// Sets the order's timer: `kind` at block `at`, replacing its earlier timer. Never fails.
	pub(crate) fn schedule(order_id: OrderId, at: BlockNumberFor<T>, kind: TimerKind) {
		TimerQueue::<T>::schedule(order_id, at, Timer::new(kind));
	}

	/// Vests a reward: mints it to `who` ([`Self::mint_reward`]), unless it is below the token's
	/// minimum balance and `who` holds none of the token. Such a mint cannot succeed until `who`
	/// gets the token some other way, so the reward lapses at once ([`Event::RewardLapsed`])
	/// instead of being retried [`Config::MaxTimerFailures`] times. Any other failure is
	/// returned, for the caller to keep the reward pending and retry it.
	pub(crate) fn vest_reward(
		order_id: OrderId,
		who: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let below_minimum = amount > 0
			&& T::Assets::can_deposit(T::TokenId::get(), who, amount, Provenance::Minted)
				== DepositConsequence::BelowMinimum;
		if below_minimum {
			Self::deposit_event(Event::RewardLapsed { order_id, customer: who.clone(), amount });
			return Ok(());
		}
		Self::mint_reward(order_id, who, amount)
	}

	/// Mints a vested reward to `who`.
	pub(crate) fn mint_reward(
		order_id: OrderId,
		who: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		if amount > 0 {
			let issued = TokenIssued::<T>::get().checked_add(amount).ok_or(Error::<T>::Overflow)?;
			T::Assets::mint_into(T::TokenId::get(), who, amount)?;
			TokenIssued::<T>::put(issued);
		}
		Self::deposit_event(Event::RewardVested { order_id, customer: who.clone(), amount });
		Ok(())
	}

	/// Removes a pending reward from the books (and its timer); returns it.
	pub(crate) fn take_pending(order_id: OrderId) -> Option<PendingRewardOf<T>> {
		let pending = PendingRewards::<T>::take(order_id)?;
		TimerQueue::<T>::cancel(&order_id);
		TotalPending::<T>::mutate(|t| *t = t.saturating_sub(pending.reward));
		Some(pending)
	}

	// ---- Hooks from orders -------------------------------------------------------------------

	/// Receipt of an order was confirmed: it may be reviewed within the review window.
	pub(crate) fn completed(order_id: OrderId, c: &Completion<T::AccountId, BlockNumberFor<T>>) {
		if c.customer == c.merchant || c.value.is_zero() {
			return;
		}
		if CompletedOrders::<T>::contains_key(order_id)
			|| PendingRewards::<T>::contains_key(order_id)
		{
			frame_support::defensive!("an order completed twice");
			return;
		}
		let review_by = Self::now().saturating_add(Limits::<T>::get().review_window);
		Self::schedule(order_id, review_by, TimerKind::ReviewExpiry);
		CompletedOrders::<T>::insert(
			order_id,
			CompletedOrder {
				customer: c.customer.clone(),
				merchant: c.merchant.clone(),
				currency: c.currency.clone(),
				value: c.value,
				fees: c.fees,
				vests_at: c.vests_at,
				review_by,
			},
		);
		Self::deposit_event(Event::OrderReviewable {
			order_id,
			customer: c.customer.clone(),
			value: c.value,
			review_by,
		});
	}

	/// Part of an order was refunded: an unreviewed completed order is worth less, a pending
	/// reward shrinks in proportion.
	pub(crate) fn refunded(order_id: OrderId, amount: Balance) {
		if let Some(mut completed) = CompletedOrders::<T>::get(order_id) {
			completed.value = completed.value.saturating_sub(amount);
			CompletedOrders::<T>::insert(order_id, completed);
			return;
		}
		let Some(mut pending) = PendingRewards::<T>::get(order_id) else { return };
		let value = pending.value.saturating_sub(amount);
		let reward = Self::shrink(pending.reward, value, pending.value);
		let clawed = pending.reward.saturating_sub(reward);
		TotalPending::<T>::mutate(|t| *t = t.saturating_sub(clawed));
		if value.is_zero() || reward.is_zero() {
			PendingRewards::<T>::remove(order_id);
			TimerQueue::<T>::cancel(&order_id);
		} else {
			pending.value = value;
			pending.reward = reward;
			PendingRewards::<T>::insert(order_id, pending);
		}
		Self::deposit_event(Event::RewardClawedBack {
			order_id,
			amount: clawed,
			remaining: reward,
		});
	}

	// ---- Invariants --------------------------------------------------------------------------

	/// Checks every invariant of the pallet.
	///
	/// 1. The token's supply is what this pallet minted minus what it burnt ([`TokenIssued`]);
	///    `pallet-assets` checks that the supply is the sum of the balances.
	/// 2. Vesting rewards are accounted: [`TotalPending`] is the sum of the
	///    [`PendingRewards`], each positive.
	/// 3. No order reviewed twice: no order is both waiting for a review and reviewed, and no
	///    order appears twice among the kept reviews.
	/// 4. Reputation matches the kept reviews: a merchant's count is at least the reviews
	///    kept, its sum at least their ratings (equal when all are kept), every rating 1 to 5.
	/// 5. Every completed order has its review-expiry timer and every pending reward its
	///    vesting timer, and no timer belongs to anything else or is left behind the cursor.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_supply()?;
		Self::try_state_pending()?;
		Self::try_state_reviewed_once()?;
		Self::try_state_reputation()?;
		Self::try_state_timers()?;
		Ok(())
	}

	fn try_state_supply() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			T::Assets::total_issuance(T::TokenId::get()) == TokenIssued::<T>::get(),
			"token supply differs from minted minus burnt"
		);
		Ok(())
	}

	fn try_state_pending() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut sum: Balance = 0;
		for (_, pending) in PendingRewards::<T>::iter() {
			ensure!(pending.reward > 0 && pending.value > 0, "empty pending reward kept");
			sum = sum.checked_add(pending.reward).ok_or("pending rewards overflow")?;
		}
		ensure!(sum == TotalPending::<T>::get(), "sum of pending rewards != TotalPending");
		Ok(())
	}

	fn try_state_reviewed_once() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut seen = BTreeSet::new();
		for (_, reviews) in RecentReviews::<T>::iter() {
			for r in reviews.iter() {
				ensure!(seen.insert(r.order_id), "an order reviewed twice");
				ensure!(
					!CompletedOrders::<T>::contains_key(r.order_id),
					"a reviewed order still waits for a review"
				);
			}
		}
		for (id, _) in PendingRewards::<T>::iter() {
			ensure!(!CompletedOrders::<T>::contains_key(id), "a rewarded order waits for a review");
		}
		Ok(())
	}

	fn try_state_reputation() -> Result<(), sp_runtime::TryRuntimeError> {
		for (merchant, reviews) in RecentReviews::<T>::iter() {
			let rep = ReputationOf::<T>::get(&merchant).unwrap_or_default();
			let kept = reviews.len() as u64;
			let mut sum: u64 = 0;
			for r in reviews.iter() {
				ensure!((1..=5).contains(&r.rating), "a rating outside 1..=5");
				sum = sum.saturating_add(u64::from(r.rating));
			}
			ensure!(rep.count >= kept && rep.sum >= sum, "reputation below its kept reviews");
			if rep.count == kept {
				ensure!(rep.sum == sum, "reputation sum differs from its reviews");
			}
		}
		for (_, rep) in ReputationOf::<T>::iter() {
			ensure!(
				rep.count <= rep.sum && rep.sum <= rep.count.saturating_mul(5),
				"reputation sum outside count..=5 × count"
			);
		}
		Ok(())
	}

	fn try_state_timers() -> Result<(), sp_runtime::TryRuntimeError> {
		let cursor = TimerCursor::<T>::get();
		ensure!(
			cursor <= Self::now().saturating_add(One::one()),
			"timer cursor ahead of the next block"
		);
		let mut count: usize = 0;
		for (block, order_id, timer) in Timers::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(block >= cursor, "a timer left behind the cursor");
			ensure!(TimerAt::<T>::get(order_id) == Some(block), "TimerAt differs from Timers");
			let owner = match timer.kind {
				TimerKind::ReviewExpiry => CompletedOrders::<T>::contains_key(order_id),
				TimerKind::Vest => PendingRewards::<T>::contains_key(order_id),
			};
			ensure!(owner, "a timer of nothing waiting for it");
		}
		ensure!(TimerAt::<T>::iter().count() == count, "stale TimerAt entry");
		for id in CompletedOrders::<T>::iter_keys().chain(PendingRewards::<T>::iter_keys()) {
			ensure!(TimerAt::<T>::contains_key(id), "a completed order or reward has no timer");
		}
		Ok(())
	}
}

/// The loyalty pallet listens to orders: receipts confirmed, refunds paid.
impl<T: Config> OrderHooks<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn on_refunded(order: OrderId, _customer: &T::AccountId, _: CurrencyId, amount: Balance) {
		Self::refunded(order, amount)
	}

	fn on_completed(order: OrderId, completion: &Completion<T::AccountId, BlockNumberFor<T>>) {
		Self::completed(order, completion)
	}
}
