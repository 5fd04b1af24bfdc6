//! An order's main path: placing and paying, cancelling or rejecting before shipping,
//! shipping, confirming receipt.

use crate::{pallet::*, types::*, Balance, CurrencyId, OrderId, OrderOutcome, PaymentMode};
use entrepot_primitives::{Completion, Escrow, Exchange, OrderHooks};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{DispatchResult, FixedPointNumber, FixedU128};

impl<T: Config> Pallet<T> {
	/// Places and pays an order: in its own currency (`pay_with` is `None`), or exchanged at
	/// checkout from the currency and within the quote of `pay_with`.
	pub(crate) fn do_place_order(
		customer: T::AccountId,
		checkout: Checkout<T>,
		pay_with: Option<PayWith<BlockNumberFor<T>>>,
	) -> DispatchResult {
		let Checkout {
			merchant,
			currency,
			items,
			freight,
			details_hash,
			encrypted_details,
			mode,
			reference,
		} = checkout;
		let info = Merchants::<T>::get(&merchant).ok_or(Error::<T>::NotRegistered)?;
		ensure!(customer != merchant, Error::<T>::CustomerIsMerchant);
		ensure!(info.policy.currencies.contains(&currency), Error::<T>::CurrencyNotAccepted);
		ensure!(
			!OrderByReference::<T>::contains_key(&merchant, reference),
			Error::<T>::DuplicateReference
		);
		ensure!(!items.is_empty(), Error::<T>::NoItems);
		let mut total = freight;
		for item in items.iter() {
			ensure!(item.quantity > 0, Error::<T>::ZeroQuantity);
			let line = item
				.unit_price
				.checked_mul(Balance::from(item.quantity))
				.ok_or(Error::<T>::Overflow)?;
			total = total.checked_add(line).ok_or(Error::<T>::Overflow)?;
		}
		ensure!(total > 0, Error::<T>::ZeroTotal);
		let now = Self::now();
		if let Some(pay) = &pay_with {
			Self::ensure_quote_holds(pay, &currency, total, now)?;
		}
		let pay_currency = pay_with.as_ref().map_or(&currency, |p| &p.currency);
		let deposit = Self::order_deposit(&items, encrypted_details.as_ref())?;
		let (deposit_currency, deposit) = Self::deposit_terms(&customer, pay_currency, deposit)?;
		let order_id = NextOrderId::<T>::get();
		let next_id = order_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let ship_by = Self::after(now, info.policy.ship_within)?;

		Self::hold_deposit(HoldReason::OrderDeposit, &customer, &deposit_currency, deposit)?;
		let mut exchange = None;
		let (status, locked, paid_out, fees) = match (mode, pay_with) {
			(PaymentMode::Escrow, None) => {
				T::Escrow::lock(
					order_id,
					reference,
					&customer,
					&merchant,
					currency.clone(),
					total,
				)?;
				(OrderStatus::Placed { ship_by }, total, 0, 0)
			},
			(PaymentMode::Escrow, Some(pay)) => {
				exchange = Some(Self::lock_exchanged(
					(order_id, reference),
					&customer,
					&merchant,
					&currency,
					total,
					pay,
				)?);
				(OrderStatus::Placed { ship_by }, total, 0, 0)
			},
			(PaymentMode::Direct, _) => {
				let payout = T::Escrow::pay_direct(
					order_id,
					reference,
					&customer,
					&merchant,
					currency.clone(),
					total,
				)?;
				T::Hooks::on_settled(order_id, &merchant, currency.clone(), payout);
				(OrderStatus::DirectPaid { ship_by }, 0, total, payout.fee)
			},
		};
		Self::schedule(order_id, ship_by, TimerKind::ShipBy);
		let order = Order {
			customer: customer.clone(),
			merchant: merchant.clone(),
			currency: currency.clone(),
			items,
			freight,
			total,
			details_hash,
			encrypted_details,
			mode,
			policy: info.policy.clone(),
			placed_at: now,
			deposit,
			status,
			tracking: None,
			return_tracking: None,
			locked,
			refunded: 0,
			paid_out,
			fees,
			discounted: 0,
			after_sales_until: None,
			escrow_refund_requested: false,
			holdback_refund_requested: false,
			reference,
			deposit_currency: deposit_currency.clone(),
			exchange: exchange.clone(),
		};
		Orders::<T>::insert(order_id, order);
		NextOrderId::<T>::put(next_id);
		OrdersOfCustomer::<T>::insert(&customer, order_id, ());
		OrdersOfMerchant::<T>::insert(&merchant, order_id, ());
		OrderByReference::<T>::insert(&merchant, reference, order_id);
		T::Hooks::on_placed(order_id, &customer, &merchant, currency.clone(), total, mode);
		Self::deposit_event(Event::OrderPlaced {
			order_id,
			customer,
			merchant,
			currency,
			total,
			mode,
			deposit,
			deposit_currency,
			reference,
			exchange,
		});
		Ok(())
	}

	/// Checks the quote a customer signed still holds for an order of `total` in `currency`:
	/// another currency, not expired, not further ahead than [`Config::QuoteLifetime`], and
	/// the pools' price within the maximum.
	fn ensure_quote_holds(
		pay: &PayWith<BlockNumberFor<T>>,
		currency: &CurrencyId,
		total: Balance,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(pay.currency != *currency, Error::<T>::SameCurrency);
		ensure!(
			now <= pay.quote_expires
				&& pay.quote_expires <= Self::after(now, T::QuoteLifetime::get())?,
			Error::<T>::QuoteExpired
		);
		let cost = T::Exchange::quote(&pay.currency, currency, total)
			.ok_or(Error::<T>::NoExchangeRoute)?;
		ensure!(cost <= pay.max_pay, Error::<T>::PriceAboveMaximum);
		Ok(())
	}

	/// Buys an order's total in its currency with the customer's `pay` currency, paid by the
	/// pools straight into escrow; returns the conversion the order records.
	fn lock_exchanged(
		(order_id, reference): (OrderId, H256),
		customer: &T::AccountId,
		merchant: &T::AccountId,
		currency: &CurrencyId,
		total: Balance,
		pay: PayWith<BlockNumberFor<T>>,
	) -> Result<Conversion, sp_runtime::DispatchError> {
		let paid = core::cell::Cell::new(0);
		let fund = |vault: &T::AccountId| {
			paid.set(T::Exchange::buy(
				customer,
				&pay.currency,
				currency,
				total,
				pay.max_pay,
				vault,
			)?);
			Ok(())
		};
		T::Escrow::lock_funded(
			order_id,
			reference,
			customer,
			merchant,
			currency.clone(),
			total,
			&fund,
		)?;
		let paid = paid.get();
		let rate = FixedU128::checked_from_rational(paid, total).ok_or(Error::<T>::Overflow)?;
		Ok(Conversion { currency: pay.currency, paid, rate })
	}

	/// Where the order deposit is held: in the native token if the customer can spare it,
	/// otherwise in `pay_currency` at governance's reference rate.
	fn deposit_terms(
		customer: &T::AccountId,
		pay_currency: &CurrencyId,
		deposit: Balance,
	) -> Result<(CurrencyId, Balance), sp_runtime::DispatchError> {
		let native = CurrencyId::Native;
		if Self::can_hold_deposit(customer, &native, deposit) {
			return Ok((native, deposit));
		}
		// An order paid in ENT lands here too: its value in ENT is the deposit, which it cannot
		// hold.
		let value = T::Exchange::native_value_in(pay_currency, deposit)
			.ok_or(Error::<T>::InsufficientDeposit)?;
		ensure!(
			Self::can_hold_deposit(customer, pay_currency, value),
			Error::<T>::InsufficientDeposit
		);
		Ok((pay_currency.clone(), value))
	}

	/// Checks an escrow order can still be called off before shipping.
	fn ensure_unshipped_escrow(order: &OrderOf<T>) -> DispatchResult {
		ensure!(order.mode == PaymentMode::Escrow, Error::<T>::DirectPaymentFinal);
		ensure!(matches!(order.status, OrderStatus::Placed { .. }), Error::<T>::AlreadyShipped);
		Ok(())
	}

	/// Refunds everything locked for an order and archives it.
	pub(crate) fn refund_all_and_archive(
		order_id: OrderId,
		mut order: OrderOf<T>,
		outcome: OrderOutcome,
	) -> DispatchResult {
		if order.locked > 0 {
			let amount = order.locked;
			Self::pay_refund(order_id, &mut order, amount)?;
		}
		Self::archive_as(order_id, order, outcome)
	}

	pub(crate) fn do_cancel_order(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Self::get_order(order_id)?;
		ensure!(order.customer == who, Error::<T>::NotCustomer);
		Self::ensure_unshipped_escrow(&order)?;

		Self::deposit_event(Event::OrderCancelled { order_id });
		Self::refund_all_and_archive(order_id, order, OrderOutcome::Cancelled)
	}

	pub(crate) fn do_reject_order(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Self::get_order(order_id)?;
		ensure!(order.merchant == who, Error::<T>::NotMerchant);
		Self::ensure_unshipped_escrow(&order)?;

		Self::deposit_event(Event::OrderRejected { order_id });
		Self::refund_all_and_archive(order_id, order, OrderOutcome::Rejected)
	}

	pub(crate) fn do_mark_shipped(
		who: T::AccountId,
		order_id: OrderId,
		tracking: H256,
	) -> DispatchResult {
		let mut order = Self::get_order(order_id)?;
		ensure!(order.merchant == who, Error::<T>::NotMerchant);
		let now = Self::now();
		let ship_by = match order.status {
			OrderStatus::Placed { ship_by } | OrderStatus::DirectPaid { ship_by } => ship_by,
			_ => return Err(Error::<T>::AlreadyShipped.into()),
		};
		ensure!(now < ship_by, Error::<T>::ShipWindowClosed);
		let confirm_by = Self::after(now, order.policy.auto_confirm_after)?;

		order.status = match order.mode {
			PaymentMode::Escrow => OrderStatus::Shipped { confirm_by },
			PaymentMode::Direct => OrderStatus::DirectShipped { confirm_by },
		};
		order.tracking = Some(tracking);
		Self::schedule(order_id, confirm_by, TimerKind::AutoConfirm);
		Orders::<T>::insert(order_id, order);
		Self::deposit_event(Event::OrderShipped { order_id, tracking, confirm_by });
		Ok(())
	}

	pub(crate) fn do_confirm_receipt(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Self::get_order(order_id)?;
		ensure!(order.customer == who, Error::<T>::NotCustomer);
		match order.status {
			OrderStatus::Shipped { .. } | OrderStatus::DirectShipped { .. } => {},
			OrderStatus::Placed { .. } | OrderStatus::DirectPaid { .. } => {
				return Err(Error::<T>::NotShippedYet.into())
			},
			OrderStatus::Settled => return Err(Error::<T>::AlreadySettled.into()),
			_ => return Err(Error::<T>::RefundPending.into()),
		}

		Self::confirm(order_id, order, Self::now(), false)
	}

	/// Receipt confirmed (by the customer or the clock): escrow orders settle, direct orders
	/// are archived.
	pub(crate) fn confirm(
		order_id: OrderId,
		order: OrderOf<T>,
		now: BlockNumberFor<T>,
		auto: bool,
	) -> DispatchResult {
		Self::deposit_event(Event::ReceiptConfirmed { order_id, auto });
		match order.mode {
			PaymentMode::Escrow => Self::settle(order_id, order, now),
			PaymentMode::Direct => {
				T::Hooks::on_completed(
					order_id,
					&Completion {
						customer: order.customer.clone(),
						merchant: order.merchant.clone(),
						currency: order.currency.clone(),
						value: order.total,
						fees: order.fees,
						vests_at: now,
					},
				);
				Self::archive_as(order_id, order, OrderOutcome::Completed)
			},
		}
	}

	/// The shipping deadline passed: escrow orders are refunded, direct orders archived.
	pub(crate) fn expire(order_id: OrderId, order: OrderOf<T>) -> DispatchResult {
		Self::deposit_event(Event::OrderExpired { order_id });
		Self::refund_all_and_archive(order_id, order, OrderOutcome::Expired)
	}
}
