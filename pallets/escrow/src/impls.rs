//! The escrow logic: reads, then checks, then the writes behind the
//! [`entrepot_primitives::Escrow`] trait.

use crate::{pallet::*, Balance, CurrencyId, EscrowOf, OrderId, Payout};
use alloc::collections::btree_map::BTreeMap;
use entrepot_primitives::{Escrow, H256};
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{
		fungibles::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Preservation, Provenance, Restriction},
		Get,
	},
};
use sp_runtime::{traits::AccountIdConversion, DispatchError, DispatchResult, Permill};

impl<T: Config> Pallet<T> {
	// ---- Reads -------------------------------------------------------------------------------

	/// The open escrow of `order`, if any (runtime API helper).
	pub fn escrow(order: OrderId) -> Option<EscrowOf<T>> {
		Escrows::<T>::get(order)
	}

	/// What every open escrow of `currency` still locks, together (runtime API helper).
	/// It is what the escrow account holds for [`HoldReason::Escrow`] in that currency: the
	/// hold is the tally (no total is stored beside it).
	pub fn total_locked(currency: CurrencyId) -> Balance {
		T::Holds::balance_on_hold(currency, &Self::reason(), &Self::account_id())
	}

	/// The platform fee in force.
	pub fn platform_fee() -> Permill {
		PlatformFee::<T>::get()
	}

	/// The escrow account: it holds every order's escrowed money.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	fn reason() -> T::RuntimeHoldReason {
		HoldReason::Escrow.into()
	}

	fn can_receive(currency: &CurrencyId, who: &T::AccountId, amount: Balance) -> bool {
		T::Holds::can_deposit(currency.clone(), who, amount, Provenance::Extant)
			== DepositConsequence::Success
	}

	// ---- Checks ------------------------------------------------------------------------------

	/// Splits `gross` into the platform fee and what `payee` receives, and checks both can be
	/// deposited.
	///
	/// The fee rounds down (in the payee's favour). If the fee account cannot accept the fee,
	/// the fee is zero. Fails with [`Error::PayeeCannotReceive`] if the payee cannot accept the
	/// net amount.
	pub(crate) fn split_fee(
		currency: &CurrencyId,
		payee: &T::AccountId,
		gross: Balance,
	) -> Result<Payout, DispatchError> {
		let mut fee = PlatformFee::<T>::get().mul_floor(gross);
		if fee > 0 && !Self::can_receive(currency, &T::FeeAccount::get(), fee) {
			fee = 0;
		}
		let net = gross.checked_sub(fee).ok_or(Error::<T>::Overflow)?;
		if net > 0 {
			ensure!(Self::can_receive(currency, payee, net), Error::<T>::PayeeCannotReceive);
		}
		Ok(Payout { gross, fee, net })
	}

	// ---- Writes ------------------------------------------------------------------------------

	pub(crate) fn do_set_platform_fee(fee: Permill) -> DispatchResult {
		ensure!(fee <= T::MaxPlatformFee::get(), Error::<T>::FeeAboveMaximum);
		PlatformFee::<T>::put(fee);
		Self::deposit_event(Event::PlatformFeeSet { fee });
		Ok(())
	}

	/// Locks funds for an order: from the payer's account (`fund` is `None`), or moved into the
	/// escrow account by `fund` (checked to be exactly `amount`).
	pub(crate) fn do_lock(
		order: OrderId,
		reference: H256,
		payer: &T::AccountId,
		payee: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
		fund: Option<&dyn Fn(&T::AccountId) -> DispatchResult>,
	) -> DispatchResult {
		let vault = Self::account_id();
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(payer != payee && *payer != vault && *payee != vault, Error::<T>::PayerIsPayee);
		ensure!(!Escrows::<T>::contains_key(order), Error::<T>::AlreadyLocked);
		let minimum = T::Holds::minimum_balance(currency.clone());
		ensure!(amount >= minimum, Error::<T>::BelowMinimum);
		ensure!(Self::can_receive(&currency, payee, amount), Error::<T>::PayeeCannotReceive);
		ensure!(
			T::Currencies::balance(currency.clone(), &vault) >= minimum,
			Error::<T>::EscrowAccountNotFunded
		);
		match fund {
			None => {
				// Polite: funds under a freeze (a vote lock, vesting, a frozen asset account)
				// cannot be escrowed.
				ensure!(
					T::Currencies::reducible_balance(
						currency.clone(),
						payer,
						Preservation::Preserve,
						Fortitude::Polite
					) >= amount,
					Error::<T>::InsufficientBalance
				);
				T::Currencies::transfer(
					currency.clone(),
					payer,
					&vault,
					amount,
					Preservation::Preserve,
				)?;
			},
			Some(fund) => {
				let before = T::Currencies::balance(currency.clone(), &vault);
				fund(&vault)?;
				let after = T::Currencies::balance(currency.clone(), &vault);
				ensure!(after.checked_sub(before) == Some(amount), Error::<T>::FundingMismatch);
			},
		}
		T::Holds::hold(currency.clone(), &Self::reason(), &vault, amount)?;
		Escrows::<T>::insert(
			order,
			EscrowOf::<T> {
				payer: payer.clone(),
				payee: payee.clone(),
				currency: currency.clone(),
				amount,
				locked: amount,
				refunded: 0,
				released_gross: 0,
				released_net: 0,
				fees: 0,
			},
		);
		Self::deposit_event(Event::Locked {
			order_id: order,
			reference,
			payer: payer.clone(),
			payee: payee.clone(),
			currency,
			amount,
		});
		Ok(())
	}

	pub(crate) fn do_refund(order: OrderId, reference: H256, amount: Balance) -> DispatchResult {
		let mut escrow = Escrows::<T>::get(order).ok_or(Error::<T>::NoEscrow)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		escrow.locked = escrow.locked.checked_sub(amount).ok_or(Error::<T>::ExceedsLocked)?;
		escrow.refunded = escrow.refunded.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		ensure!(
			Self::can_receive(&escrow.currency, &escrow.payer, amount),
			Error::<T>::PayeeCannotReceive
		);

		Self::pay_from_escrow(&escrow.currency, &escrow.payer, amount)?;
		Self::deposit_event(Event::Refunded {
			order_id: order,
			reference,
			payer: escrow.payer.clone(),
			currency: escrow.currency.clone(),
			amount,
		});
		Self::store_or_close(order, reference, escrow);
		Ok(())
	}

	pub(crate) fn do_release(
		order: OrderId,
		reference: H256,
		amount: Balance,
	) -> Result<Payout, DispatchError> {
		let mut escrow = Escrows::<T>::get(order).ok_or(Error::<T>::NoEscrow)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		escrow.locked = escrow.locked.checked_sub(amount).ok_or(Error::<T>::ExceedsLocked)?;
		let payout = Self::split_fee(&escrow.currency, &escrow.payee, amount)?;
		escrow.released_gross =
			escrow.released_gross.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		escrow.released_net =
			escrow.released_net.checked_add(payout.net).ok_or(Error::<T>::Overflow)?;
		escrow.fees = escrow.fees.checked_add(payout.fee).ok_or(Error::<T>::Overflow)?;

		for (dest, part) in [(T::FeeAccount::get(), payout.fee), (escrow.payee.clone(), payout.net)]
		{
			if part > 0 {
				Self::pay_from_escrow(&escrow.currency, &dest, part)?;
			}
		}
		Self::deposit_event(Event::Released {
			order_id: order,
			reference,
			payer: escrow.payer.clone(),
			payee: escrow.payee.clone(),
			currency: escrow.currency.clone(),
			gross: payout.gross,
			fee: payout.fee,
			net: payout.net,
		});
		Self::store_or_close(order, reference, escrow);
		Ok(payout)
	}

	pub(crate) fn do_forfeit(order: OrderId, reference: H256, amount: Balance) -> DispatchResult {
		let mut escrow = Escrows::<T>::get(order).ok_or(Error::<T>::NoEscrow)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		escrow.locked = escrow.locked.checked_sub(amount).ok_or(Error::<T>::ExceedsLocked)?;
		ensure!(amount < T::Holds::minimum_balance(escrow.currency.clone()), Error::<T>::NotDust);
		let fee_account = T::FeeAccount::get();
		ensure!(
			Self::can_receive(&escrow.currency, &fee_account, amount),
			Error::<T>::PayeeCannotReceive
		);
		// Paid out as a fee: the books stay `locked + refunded + released_gross == amount`.
		escrow.released_gross =
			escrow.released_gross.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		escrow.fees = escrow.fees.checked_add(amount).ok_or(Error::<T>::Overflow)?;

		Self::pay_from_escrow(&escrow.currency, &fee_account, amount)?;
		Self::deposit_event(Event::Forfeited {
			order_id: order,
			reference,
			payer: escrow.payer.clone(),
			currency: escrow.currency.clone(),
			amount,
		});
		Self::store_or_close(order, reference, escrow);
		Ok(())
	}

	pub(crate) fn do_pay_direct(
		order: OrderId,
		reference: H256,
		payer: &T::AccountId,
		payee: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> Result<Payout, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(payer != payee, Error::<T>::PayerIsPayee);
		ensure!(
			T::Currencies::reducible_balance(
				currency.clone(),
				payer,
				Preservation::Preserve,
				Fortitude::Polite
			) >= amount,
			Error::<T>::InsufficientBalance
		);
		let payout = Self::split_fee(&currency, payee, amount)?;

		for (dest, part) in [(T::FeeAccount::get(), payout.fee), (payee.clone(), payout.net)] {
			if part > 0 {
				T::Currencies::transfer(
					currency.clone(),
					payer,
					&dest,
					part,
					Preservation::Preserve,
				)?;
			}
		}
		Self::deposit_event(Event::DirectPaid {
			order_id: order,
			reference,
			payer: payer.clone(),
			payee: payee.clone(),
			currency,
			gross: payout.gross,
			fee: payout.fee,
			net: payout.net,
		});
		Ok(payout)
	}

	pub(crate) fn do_compensate(
		order: OrderId,
		reference: H256,
		who: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let from = T::FeeAccount::get();
		ensure!(
			T::Currencies::reducible_balance(
				currency.clone(),
				&from,
				Preservation::Preserve,
				Fortitude::Polite
			) >= amount,
			Error::<T>::FeeAccountShort
		);
		ensure!(Self::can_receive(&currency, who, amount), Error::<T>::PayeeCannotReceive);
		T::Currencies::transfer(currency.clone(), &from, who, amount, Preservation::Preserve)?;
		Self::deposit_event(Event::Compensated {
			order_id: order,
			reference,
			who: who.clone(),
			currency,
			amount,
		});
		Ok(())
	}

	/// Moves `amount` of escrowed money from the escrow account's hold to `dest`'s free
	/// balance. Polite: no freeze covers the escrow account, so nothing is forced.
	fn pay_from_escrow(
		currency: &CurrencyId,
		dest: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		T::Holds::transfer_on_hold(
			currency.clone(),
			&Self::reason(),
			&Self::account_id(),
			dest,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Ok(())
	}

	fn store_or_close(order: OrderId, reference: H256, escrow: EscrowOf<T>) {
		if escrow.locked > 0 {
			Escrows::<T>::insert(order, escrow);
		} else {
			Escrows::<T>::remove(order);
			Self::deposit_event(Event::Closed {
				order_id: order,
				reference,
				payer: escrow.payer,
				payee: escrow.payee,
				currency: escrow.currency,
				amount: escrow.amount,
				refunded: escrow.refunded,
				released_gross: escrow.released_gross,
				fees: escrow.fees,
			});
		}
	}

	// ---- Invariants --------------------------------------------------------------------------

	/// Checks every invariant of the pallet's storage against the token pallets.
	///
	/// 1. Every escrow's books balance: `locked + refunded + released_gross == amount`,
	///    `released_net + fees == released_gross`, and an open escrow locks something.
	/// 2. Per currency, the escrow account's balance on hold for [`HoldReason::Escrow`] is the
	///    sum of the open escrows' `locked`: what escrow locks is what the hold mechanism
	///    holds, to the unit; and the account keeps the currency's minimum balance free beside
	///    it, so no payout can reap it.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_books_balance()?;
		Self::try_state_holds_match()?;
		Ok(())
	}

	fn try_state_books_balance() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, e) in Escrows::<T>::iter() {
			ensure!(e.locked > 0, "an open escrow locks nothing");
			let accounted = e
				.locked
				.checked_add(e.refunded)
				.and_then(|s| s.checked_add(e.released_gross))
				.ok_or("escrow books overflow")?;
			ensure!(accounted == e.amount, "locked + refunded + released != amount");
			ensure!(
				e.released_net.checked_add(e.fees) == Some(e.released_gross),
				"net + fees != released"
			);
		}
		Ok(())
	}

	fn try_state_holds_match() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut sums: BTreeMap<CurrencyId, Balance> = BTreeMap::new();
		for (_, e) in Escrows::<T>::iter() {
			let s = sums.entry(e.currency.clone()).or_default();
			*s = s.saturating_add(e.locked);
		}
		let vault = Self::account_id();
		for (currency, locked) in sums {
			ensure!(
				Self::total_locked(currency.clone()) == locked,
				"escrow account's hold differs from the open escrows' locked"
			);
			ensure!(
				T::Currencies::balance(currency.clone(), &vault)
					>= T::Holds::minimum_balance(currency),
				"escrow account below the minimum balance beside its hold"
			);
		}
		Ok(())
	}
}

impl<T: Config> Escrow<T::AccountId> for Pallet<T> {
	fn lock(
		order: OrderId,
		reference: H256,
		payer: &T::AccountId,
		payee: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> DispatchResult {
		with_storage_layer(|| Self::do_lock(order, reference, payer, payee, currency, amount, None))
	}

	fn lock_funded(
		order: OrderId,
		reference: H256,
		payer: &T::AccountId,
		payee: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
		fund: &dyn Fn(&T::AccountId) -> DispatchResult,
	) -> DispatchResult {
		with_storage_layer(|| {
			Self::do_lock(order, reference, payer, payee, currency, amount, Some(fund))
		})
	}

	fn refund(order: OrderId, reference: H256, amount: Balance) -> DispatchResult {
		with_storage_layer(|| Self::do_refund(order, reference, amount))
	}

	fn release(order: OrderId, reference: H256, amount: Balance) -> Result<Payout, DispatchError> {
		with_storage_layer(|| Self::do_release(order, reference, amount))
	}

	fn locked(order: OrderId) -> Option<(CurrencyId, Balance)> {
		Escrows::<T>::get(order).map(|e| (e.currency, e.locked))
	}

	fn escrow_info(order: OrderId) -> Option<EscrowOf<T>> {
		Escrows::<T>::get(order)
	}

	fn pay_direct(
		order: OrderId,
		reference: H256,
		payer: &T::AccountId,
		payee: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> Result<Payout, DispatchError> {
		with_storage_layer(|| Self::do_pay_direct(order, reference, payer, payee, currency, amount))
	}

	fn forfeit(order: OrderId, reference: H256, amount: Balance) -> DispatchResult {
		with_storage_layer(|| Self::do_forfeit(order, reference, amount))
	}

	fn compensate(
		order: OrderId,
		reference: H256,
		who: &T::AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> DispatchResult {
		with_storage_layer(|| Self::do_compensate(order, reference, who, currency, amount))
	}
}
