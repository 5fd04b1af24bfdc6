//! Shared internals of the orders pallet: reads and queries, checks, the steps every feature
//! ends with (settle, refund, archive, schedule), and the `try_state` invariants.

use crate::{pallet::*, types::*, Balance, OrderId, OrderOutcome, PaymentMode};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::Encode;
use entrepot_primitives::{
	index_page, Completion, CurrencyId, DueQueue, Escrow, EscrowInfo, Exchange, OrderHooks,
};
use frame_support::{
	ensure,
	traits::{
		fungible::InspectHold,
		fungibles::{InspectHold as _, MutateHold as _},
		tokens::Precision,
		Get,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, One, Saturating, Zero},
	DispatchResult, FixedPointNumber, FixedU128, Rounding,
};

/// The timer queue: [`Timers`] by block and order, [`TimerAt`] and [`TimerCursor`].
pub(crate) type TimerQueue<T> =
	DueQueue<BlockNumberFor<T>, OrderId, Timer, Timers<T>, TimerAt<T>, TimerCursor<T>>;

impl<T: Config> Pallet<T> {
	// ---- Reads and queries -------------------------------------------------------------------

	/// An open order (runtime API helper).
	pub fn order(order_id: OrderId) -> Option<OrderOf<T>> {
		Orders::<T>::get(order_id)
	}

	/// A page of a customer's open orders, in storage order, after `start_after` (runtime API
	/// helper). At most [`Config::MaxPageSize`] orders.
	pub fn orders_of_customer(
		who: T::AccountId,
		start_after: Option<OrderId>,
		limit: u32,
	) -> Vec<(OrderId, OrderOf<T>)> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids = index_page::<OrdersOfCustomer<T>, _, _>(&who, start_after, limit);
		ids.into_iter().filter_map(|id| Orders::<T>::get(id).map(|o| (id, o))).collect()
	}

	/// A page of a merchant's open orders, in storage order, after `start_after` (runtime API
	/// helper). At most [`Config::MaxPageSize`] orders.
	pub fn orders_of_merchant(
		who: T::AccountId,
		start_after: Option<OrderId>,
		limit: u32,
	) -> Vec<(OrderId, OrderOf<T>)> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids = index_page::<OrdersOfMerchant<T>, _, _>(&who, start_after, limit);
		ids.into_iter().filter_map(|id| Orders::<T>::get(id).map(|o| (id, o))).collect()
	}

	/// A merchant's current policy (runtime API helper).
	pub fn merchant_policy(who: T::AccountId) -> Option<PolicyOf<T>> {
		Merchants::<T>::get(who).map(|m| m.policy)
	}

	/// An open order of `merchant` by its payment reference (runtime API helper).
	pub fn order_by_reference(
		merchant: T::AccountId,
		reference: H256,
	) -> Option<(OrderId, OrderOf<T>)> {
		let id = OrderByReference::<T>::get(merchant, reference)?;
		Orders::<T>::get(id).map(|o| (id, o))
	}

	/// The price now of paying `amount` of `currency` in `pay_currency`, valid until
	/// [`Config::QuoteLifetime`] blocks from now (runtime API helper); `None` if the pools
	/// cannot exchange it.
	pub fn quote(
		pay_currency: CurrencyId,
		currency: CurrencyId,
		amount: Balance,
	) -> Option<QuoteOf<T>> {
		if pay_currency == currency {
			return None;
		}
		let pay_amount = T::Exchange::quote(&pay_currency, &currency, amount)?;
		let rate = FixedU128::checked_from_rational(pay_amount, amount)?;
		let expires_at = Self::now().checked_add(&T::QuoteLifetime::get())?;
		Some(Quote { pay_currency, pay_amount, currency, amount, rate, expires_at })
	}

	/// The escrow state of an order, from the payment layer (runtime API helper).
	pub fn escrow_of(order_id: OrderId) -> Option<EscrowInfo<T::AccountId>> {
		T::Escrow::escrow_info(order_id)
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	pub(crate) fn after(
		now: BlockNumberFor<T>,
		window: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		now.checked_add(&window).ok_or(Error::<T>::Overflow)
	}

	/// An open order that its parties may act on: not frozen by a dispute.
	pub(crate) fn get_order(order_id: OrderId) -> Result<OrderOf<T>, Error<T>> {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(!matches!(order.status, OrderStatus::Disputed { .. }), Error::<T>::OrderDisputed);
		Ok(order)
	}

	// ---- Checks ------------------------------------------------------------------------------

	pub(crate) fn bounds_valid(bounds: &PolicyBoundsOf<T>) -> bool {
		[
			bounds.ship_within,
			bounds.auto_confirm_after,
			bounds.refund_response_within,
			bounds.return_window,
			bounds.after_sales_window,
		]
		.iter()
		.all(|w| !w.min.is_zero() && w.min <= w.max)
	}

	pub(crate) fn ensure_policy_valid(policy: &PolicyOf<T>) -> DispatchResult {
		ensure!(!policy.currencies.is_empty(), Error::<T>::NoCurrencies);
		for (i, c) in policy.currencies.iter().enumerate() {
			ensure!(
				!policy.currencies.iter().skip(i.saturating_add(1)).any(|d| d == c),
				Error::<T>::DuplicateCurrency
			);
		}
		let b = PolicyBoundsInForce::<T>::get();
		let within =
			|w: WindowBounds<BlockNumberFor<T>>, v: BlockNumberFor<T>| w.min <= v && v <= w.max;
		ensure!(
			within(b.ship_within, policy.ship_within)
				&& within(b.auto_confirm_after, policy.auto_confirm_after)
				&& within(b.refund_response_within, policy.refund_response_within)
				&& within(b.return_window, policy.return_window)
				&& within(b.after_sales_window, policy.after_sales_window)
				&& policy.holdback <= b.max_holdback,
			Error::<T>::PolicyOutOfBounds
		);
		Ok(())
	}

	/// The order deposit: the base, plus the per-byte deposit for every byte stored for the
	/// line items and the encrypted document.
	pub(crate) fn order_deposit(
		items: &BoundedVec<LineItem, T::MaxItems>,
		encrypted_details: Option<&BoundedVec<u8, T::MaxEncryptedLen>>,
	) -> Result<Balance, Error<T>> {
		let bytes = items.encoded_size().saturating_add(encrypted_details.encoded_size());
		T::OrderDepositPerByte::get()
			.checked_mul(Balance::try_from(bytes).map_err(|_| Error::<T>::Overflow)?)
			.and_then(|d| d.checked_add(T::OrderDepositBase::get()))
			.ok_or(Error::<T>::Overflow)
	}

	// ---- Steps -------------------------------------------------------------------------------

	/// The deadline of the order's current state and the timer that keeps it; `None` while a
	/// dispute freezes it.
	pub(crate) fn deadline(order: &OrderOf<T>) -> Option<(BlockNumberFor<T>, TimerKind)> {
		match order.status {
			OrderStatus::Placed { ship_by } | OrderStatus::DirectPaid { ship_by } => {
				Some((ship_by, TimerKind::ShipBy))
			},
			OrderStatus::Shipped { confirm_by } | OrderStatus::DirectShipped { confirm_by } => {
				Some((confirm_by, TimerKind::AutoConfirm))
			},
			OrderStatus::RefundRequested { respond_by, .. } => {
				Some((respond_by, TimerKind::RefundResponse))
			},
			OrderStatus::AwaitingReturn { return_by, .. } => Some((return_by, TimerKind::ReturnBy)),
			OrderStatus::Returned { confirm_by, .. } => {
				Some((confirm_by, TimerKind::ReturnConfirm))
			},
			OrderStatus::Settled => {
				order.after_sales_until.map(|until| (until, TimerKind::AfterSalesEnd))
			},
			OrderStatus::Disputed { .. } => None,
		}
	}

	/// Sets the order's timer: `kind` at block `at`, replacing its earlier timer. Never fails.
	pub(crate) fn schedule(order_id: OrderId, at: BlockNumberFor<T>, kind: TimerKind) {
		TimerQueue::<T>::schedule(order_id, at, Timer::new(kind));
	}

	/// Returns `amount` of the order's escrow to the customer: for an exchanged order, in the
	/// currency it paid, at the rate it paid (see [`Self::convert_refund`]).
	pub(crate) fn pay_refund(
		order_id: OrderId,
		order: &mut OrderOf<T>,
		amount: Balance,
	) -> DispatchResult {
		T::Escrow::refund(order_id, order.reference, amount)?;
		let before = order.refunded;
		order.locked = order.locked.checked_sub(amount).ok_or(Error::<T>::RefundExceedsLocked)?;
		order.refunded = order.refunded.saturating_add(amount);
		T::Hooks::on_refunded(order_id, &order.customer, order.currency.clone(), amount);
		let converted = Self::convert_refund(order_id, order, before, amount);
		Self::deposit_event(Event::RefundPaid {
			order_id,
			reference: order.reference,
			customer: order.customer.clone(),
			currency: order.currency.clone(),
			amount,
			converted,
		});
		Ok(())
	}

	/// Converts a refund of an exchanged order (`amount` of its currency, just paid to the
	/// customer, after `before` was refunded) back into the currency the customer paid, at the
	/// rate it paid. The refunds of an order add up to exactly what it paid: the customer is
	/// owed `paid * refunded / total` in all, rounded down, less what earlier refunds gave.
	/// Returns the currency and amount the customer received; `None` for an order paid in its
	/// own currency, or if the conversion failed (then the customer keeps the order's
	/// currency, and [`Event::RefundNotConverted`] says why).
	fn convert_refund(
		order_id: OrderId,
		order: &OrderOf<T>,
		before: Balance,
		amount: Balance,
	) -> Option<(CurrencyId, Balance)> {
		let conversion = order.exchange.clone()?;
		let owed_until = |refunded: Balance| {
			multiply_by_rational_with_rounding(
				refunded,
				conversion.paid,
				order.total,
				Rounding::Down,
			)
			.unwrap_or(0)
		};
		let owed = owed_until(order.refunded).saturating_sub(owed_until(before));
		match T::Exchange::convert_refund(
			&order.customer,
			&order.currency,
			amount,
			&conversion.currency,
			owed,
		) {
			Ok(()) => Some((conversion.currency, owed)),
			Err(error) => {
				Self::deposit_event(Event::RefundNotConverted {
					order_id,
					reference: order.reference,
					error,
				});
				None
			},
		}
	}

	/// Pays the merchant what is locked minus the holdback, and starts the after-sales window.
	/// Archives the order if nothing was locked any more.
	pub(crate) fn settle(
		order_id: OrderId,
		mut order: OrderOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if order.locked.is_zero() {
			return Self::archive(order_id, order);
		}
		let value = order.locked;
		let holdback = order.policy.holdback.mul_floor(order.locked);
		let gross = order.locked.saturating_sub(holdback);
		let after_sales_until = Self::after(now, order.policy.after_sales_window)?;
		let payout = if gross > 0 {
			let payout = T::Escrow::release(order_id, order.reference, gross)?;
			order.locked = holdback;
			Self::record_payout(&mut order, payout);
			T::Hooks::on_settled(order_id, &order.merchant, order.currency.clone(), payout);
			payout
		} else {
			Default::default()
		};
		order.after_sales_until = Some(after_sales_until);
		order.status = OrderStatus::Settled;
		Self::schedule(order_id, after_sales_until, TimerKind::AfterSalesEnd);
		T::Hooks::on_completed(
			order_id,
			&Completion {
				customer: order.customer.clone(),
				merchant: order.merchant.clone(),
				currency: order.currency.clone(),
				value,
				fees: order.fees,
				vests_at: after_sales_until,
			},
		);
		Self::deposit_event(Event::MerchantPaid {
			order_id,
			reference: order.reference,
			merchant: order.merchant.clone(),
			currency: order.currency.clone(),
			gross: payout.gross,
			fee: payout.fee,
			net: payout.net,
			holdback,
			after_sales_until,
		});
		Orders::<T>::insert(order_id, order);
		Ok(())
	}

	/// The after-sales window closed: pays the holdback and archives the order.
	pub(crate) fn finish_after_sales(order_id: OrderId, mut order: OrderOf<T>) -> DispatchResult {
		if order.locked > 0 {
			let gross = order.locked;
			let payout = T::Escrow::release(order_id, order.reference, gross)?;
			order.locked = 0;
			Self::record_payout(&mut order, payout);
			T::Hooks::on_settled(order_id, &order.merchant, order.currency.clone(), payout);
			Self::deposit_event(Event::HoldbackReleased {
				order_id,
				reference: order.reference,
				merchant: order.merchant.clone(),
				currency: order.currency.clone(),
				gross: payout.gross,
				fee: payout.fee,
				net: payout.net,
			});
		}
		Self::archive(order_id, order)
	}

	/// Adds a payout to the merchant to the order's books.
	pub(crate) fn record_payout(order: &mut OrderOf<T>, payout: entrepot_primitives::Payout) {
		order.paid_out = order.paid_out.saturating_add(payout.gross);
		order.fees = order.fees.saturating_add(payout.fee);
	}

	/// Back to `Settled` after an after-sales request or dispute; finishes at once if the
	/// window closed meanwhile, archives if nothing is left locked.
	pub(crate) fn back_to_settled(
		order_id: OrderId,
		mut order: OrderOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		let until = match order.after_sales_until {
			Some(until) if until > now && !order.locked.is_zero() => until,
			_ => return Self::finish_after_sales(order_id, order),
		};
		order.status = OrderStatus::Settled;
		Self::schedule(order_id, until, TimerKind::AfterSalesEnd);
		Orders::<T>::insert(order_id, order);
		Ok(())
	}

	/// Pays an accepted (and, with return, returned) refund, then the rest settles (before
	/// settlement) or the order goes back to settled (after-sales).
	pub(crate) fn conclude_refund(
		order_id: OrderId,
		mut order: OrderOf<T>,
		request: RefundRequest,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::pay_refund(order_id, &mut order, request.amount)?;
		Self::resume(order_id, order, now)
	}

	/// Where an order goes when a refund request ends: settlement before the after-sales
	/// window, back to settled in it.
	pub(crate) fn resume(
		order_id: OrderId,
		order: OrderOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if order.after_sales_until.is_some() {
			Self::back_to_settled(order_id, order, now)
		} else {
			Self::settle(order_id, order, now)
		}
	}

	/// How an order ends, from what happened to its money.
	pub(crate) fn outcome_of(order: &OrderOf<T>) -> OrderOutcome {
		if order.mode == PaymentMode::Escrow && order.paid_out.is_zero() {
			OrderOutcome::Refunded
		} else {
			OrderOutcome::Completed
		}
	}

	/// Archives an order with the outcome its money shows.
	pub(crate) fn archive(order_id: OrderId, order: OrderOf<T>) -> DispatchResult {
		let outcome = Self::outcome_of(&order);
		Self::archive_as(order_id, order, outcome)
	}

	/// Removes an order in its final state with its indexes, returns the deposit.
	pub(crate) fn archive_as(
		order_id: OrderId,
		order: OrderOf<T>,
		outcome: OrderOutcome,
	) -> DispatchResult {
		if order.locked > 0 {
			frame_support::defensive!("archiving an order with money still locked");
			return Err(Error::<T>::RefundPending.into());
		}
		if order.deposit > 0 {
			T::Holds::release(
				order.deposit_currency.clone(),
				&HoldReason::OrderDeposit.into(),
				&order.customer,
				order.deposit,
				Precision::BestEffort,
			)?;
		}
		Orders::<T>::remove(order_id);
		OrderByReference::<T>::remove(&order.merchant, order.reference);
		TimerQueue::<T>::cancel(&order_id);
		OrdersOfCustomer::<T>::remove(&order.customer, order_id);
		OrdersOfMerchant::<T>::remove(&order.merchant, order_id);
		T::Hooks::on_archived(order_id, &order.customer, &order.merchant, outcome);
		Self::deposit_event(Event::OrderArchived { order_id, outcome, deposit: order.deposit });
		Ok(())
	}

	// ---- Invariants --------------------------------------------------------------------------

	/// Checks every invariant of the pallet.
	///
	/// 1. Every open escrow-mode order's escrow locks exactly what the order says, in its
	///    currency (asked through the escrow trait); direct orders and orders with nothing
	///    locked have no escrow.
	/// 2. For every order, `locked + refunded + paid_out == total` (escrow mode).
	/// 3. Indexes and counters agree with the orders: both indexes hold exactly the open
	///    orders, every order's merchant is registered, every id is below
	///    [`NextOrderId`].
	/// 4. Deposits held equal deposits recorded: per customer the sum of the orders'
	///    deposits, per merchant its registration deposit.
	/// 5. Every open order but a frozen one has exactly one timer, of its state's kind, due no
	///    earlier than its state's deadline; no timer belongs to anything else; no timer is
	///    behind the cursor, which is not ahead of the next block.
	/// 6. Loyalty discounts belong to open escrow orders and stay within the share of the
	///    order's total its policy accepts in loyalty tokens.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_discounts()?;
		Self::try_state_escrows_match()?;
		Self::try_state_money_accounted()?;
		Self::try_state_indexes()?;
		Self::try_state_deposits()?;
		Self::try_state_timers()?;
		Ok(())
	}

	fn try_state_escrows_match() -> Result<(), sp_runtime::TryRuntimeError> {
		for (id, order) in Orders::<T>::iter() {
			let expected = (order.mode == PaymentMode::Escrow && order.locked > 0)
				.then(|| (order.currency.clone(), order.locked));
			ensure!(T::Escrow::locked(id) == expected, "order and escrow disagree on locked");
		}
		Ok(())
	}

	fn try_state_money_accounted() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, order) in Orders::<T>::iter() {
			if order.mode == PaymentMode::Escrow {
				let accounted =
					order.locked.saturating_add(order.refunded).saturating_add(order.paid_out);
				ensure!(accounted == order.total, "locked + refunded + paid_out != total");
			}
		}
		Ok(())
	}

	fn try_state_indexes() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextOrderId::<T>::get();
		let mut per_merchant: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut count: usize = 0;
		for (id, order) in Orders::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id < next, "order id not below NextOrderId");
			ensure!(
				OrdersOfCustomer::<T>::contains_key(&order.customer, id),
				"order missing from its customer's index"
			);
			ensure!(
				OrdersOfMerchant::<T>::contains_key(&order.merchant, id),
				"order missing from its merchant's index"
			);
			ensure!(
				OrderByReference::<T>::get(&order.merchant, order.reference) == Some(id),
				"order missing from its merchant's references"
			);
			let n = per_merchant.entry(order.merchant.clone()).or_default();
			*n = n.saturating_add(1);
		}
		ensure!(OrdersOfCustomer::<T>::iter().count() == count, "stale customer index entry");
		ensure!(OrdersOfMerchant::<T>::iter().count() == count, "stale merchant index entry");
		ensure!(OrderByReference::<T>::iter().count() == count, "stale reference entry");
		for merchant in per_merchant.keys() {
			ensure!(Merchants::<T>::contains_key(merchant), "orders of an unregistered merchant");
		}
		Ok(())
	}

	fn try_state_deposits() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut per_customer: BTreeMap<(T::AccountId, CurrencyId), Balance> = BTreeMap::new();
		for (_, order) in Orders::<T>::iter() {
			let d = per_customer
				.entry((order.customer.clone(), order.deposit_currency.clone()))
				.or_default();
			*d = d.saturating_add(order.deposit);
		}
		for ((customer, currency), deposits) in per_customer {
			ensure!(
				T::Holds::balance_on_hold(currency, &HoldReason::OrderDeposit.into(), &customer)
					== deposits,
				"order deposits held differ from the orders' deposits"
			);
		}
		for (merchant, info) in Merchants::<T>::iter() {
			ensure!(
				T::NativeBalance::balance_on_hold(&HoldReason::MerchantDeposit.into(), &merchant)
					== info.deposit,
				"merchant deposit held differs from the recorded deposit"
			);
		}
		Ok(())
	}

	fn try_state_discounts() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, order) in Orders::<T>::iter() {
			let discounted = order.discounted;
			if discounted == 0 {
				continue;
			}
			ensure!(order.mode == PaymentMode::Escrow, "loyalty discount of a direct order");
			ensure!(
				discounted <= order.policy.loyalty_share.mul_floor(order.total),
				"loyalty discounts exceed the policy's share"
			);
			ensure!(discounted <= order.refunded, "loyalty discounts not among the refunds");
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
			let order = Orders::<T>::get(order_id).ok_or("a timer of a missing order")?;
			let (deadline, kind) = Self::deadline(&order).ok_or("a timer of a frozen order")?;
			ensure!(timer.kind == kind, "a timer of another state than the order's");
			ensure!(block >= deadline, "a timer set before its deadline");
		}
		ensure!(TimerAt::<T>::iter().count() == count, "stale TimerAt entry");
		for (order_id, order) in Orders::<T>::iter() {
			ensure!(
				Self::deadline(&order).is_none() || TimerAt::<T>::contains_key(order_id),
				"an open order's deadline has no timer"
			);
		}
		Ok(())
	}
}
