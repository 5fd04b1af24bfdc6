//! The exchange's logic: routes through the pools, the reference rates, and the
//! [`Exchange`] the orders pallet uses.

use crate::{pallet::*, Balance, CurrencyId};
use alloc::{vec, vec::Vec};
use entrepot_primitives::{Exchange, NativeOrWithId};
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{fungibles::Mutate, tokens::Preservation, Get},
};
use pallet_asset_conversion::{QuotePrice, Swap};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding, traits::Zero, DispatchError,
	DispatchResult, FixedPointNumber, FixedU128, Rounding,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_reference_rate(
		currency: CurrencyId,
		rate: Option<FixedU128>,
	) -> DispatchResult {
		ensure!(currency != NativeOrWithId::Native, Error::<T>::NativeHasNoRate);
		ensure!(rate.map_or(true, |r| !r.is_zero()), Error::<T>::ZeroRate);
		ReferenceRates::<T>::set(&currency, rate);
		Self::deposit_event(Event::ReferenceRateSet { currency, rate });
		Ok(())
	}

	/// The cheapest route to buy exactly `amount` of `receive` with `pay`: the direct pool, or
	/// through the native token. Returns the path and its cost, the pools' fees included;
	/// `None` if neither route exists or can pay `amount` out.
	pub fn route(
		pay: &CurrencyId,
		receive: &CurrencyId,
		amount: Balance,
	) -> Option<(Vec<CurrencyId>, Balance)> {
		// Quoted backwards, from what comes out: the native token needed, then its cost.
		Self::best_route(
			pay,
			receive,
			amount,
			|from, to, out| {
				T::Swap::quote_price_tokens_for_exact_tokens(from.clone(), to.clone(), out, true)
			},
			true,
		)
	}

	/// The route that pays the most `to` for exactly `amount` of `from`, and what it pays.
	pub fn route_exact_in(
		from: &CurrencyId,
		to: &CurrencyId,
		amount: Balance,
	) -> Option<(Vec<CurrencyId>, Balance)> {
		Self::best_route(
			from,
			to,
			amount,
			|from, to, amount| {
				T::Swap::quote_price_exact_tokens_for_tokens(from.clone(), to.clone(), amount, true)
			},
			false,
		)
	}

	/// The better of the direct route from `from` to `to` and the route through the native
	/// token, by `quote(from, to, amount)` of each hop (a hop quoting zero has no route). With
	/// `exact_out`, `amount` is what comes out of the last hop, hops are quoted from the last,
	/// and the cheaper route wins; otherwise `amount` goes into the first hop and the route that
	/// pays more wins.
	fn best_route(
		from: &CurrencyId,
		to: &CurrencyId,
		amount: Balance,
		quote: impl Fn(&CurrencyId, &CurrencyId, Balance) -> Option<Balance>,
		exact_out: bool,
	) -> Option<(Vec<CurrencyId>, Balance)> {
		if from == to || amount.is_zero() {
			return None;
		}
		let hop = |a: &CurrencyId, b: &CurrencyId, x| quote(a, b, x).filter(|q| !q.is_zero());
		let direct = hop(from, to, amount).map(|q| (vec![from.clone(), to.clone()], q));
		let native = NativeOrWithId::Native;
		let through_native = if *from != native && *to != native {
			let quoted = if exact_out {
				hop(&native, to, amount).and_then(|middle| hop(from, &native, middle))
			} else {
				hop(from, &native, amount).and_then(|middle| hop(&native, to, middle))
			};
			quoted.map(|q| (vec![from.clone(), native.clone(), to.clone()], q))
		} else {
			None
		};
		match (direct, through_native) {
			(Some(d), Some(n)) => {
				let native_better = if exact_out { n.1 < d.1 } else { n.1 > d.1 };
				Some(if native_better { n } else { d })
			},
			(d, n) => d.or(n),
		}
	}

	/// What `native` planck of the native token are worth in `currency` at its reference rate,
	/// rounded up (see [`Exchange::native_value_in`]).
	pub fn native_value_in(currency: &CurrencyId, native: Balance) -> Option<Balance> {
		if *currency == NativeOrWithId::Native {
			return Some(native);
		}
		let rate = ReferenceRates::<T>::get(currency)?;
		multiply_by_rational_with_rounding(native, FixedU128::DIV, rate.into_inner(), Rounding::Up)
	}

	/// What `amount` of `from` is worth in `to` at their reference rates, rounded up (see
	/// [`Exchange::reference_value`]): one multiplication and one division, so one rounding.
	pub fn reference_value(from: &CurrencyId, to: &CurrencyId, amount: Balance) -> Option<Balance> {
		if from == to {
			return Some(amount);
		}
		let rate = |c: &CurrencyId| match c {
			NativeOrWithId::Native => Some(FixedU128::DIV),
			_ => ReferenceRates::<T>::get(c).map(|r| r.into_inner()),
		};
		multiply_by_rational_with_rounding(amount, rate(from)?, rate(to)?, Rounding::Up)
	}

	/// The most a transaction fee of `native_fee` may cost in `asset`: its reference value plus
	/// [`MaxFeeDeviation`], rounded up. `None` if `asset` has no reference rate: fees cannot
	/// be paid in it.
	pub fn fee_bound(asset: &CurrencyId, native_fee: Balance) -> Option<Balance> {
		let value = Self::native_value_in(asset, native_fee)?;
		Some(value.saturating_add(MaxFeeDeviation::<T>::get().mul_ceil(value)))
	}

	/// What a transaction fee of `native_fee` costs in `asset` now through the pools, if the
	/// pools price it within [`Self::fee_bound`]; `None` otherwise (the fee cannot be paid in
	/// `asset` now).
	pub fn fee_in(asset: &CurrencyId, native_fee: Balance) -> Option<Balance> {
		if *asset == NativeOrWithId::Native {
			return Some(native_fee);
		}
		if native_fee.is_zero() {
			return Some(Zero::zero());
		}
		let cost = T::Swap::quote_price_tokens_for_exact_tokens(
			asset.clone(),
			NativeOrWithId::Native,
			native_fee,
			true,
		)?;
		(cost <= Self::fee_bound(asset, native_fee)?).then_some(cost)
	}
}

impl<T: Config> Exchange<T::AccountId> for Pallet<T> {
	fn quote(pay: &CurrencyId, receive: &CurrencyId, amount: Balance) -> Option<Balance> {
		Self::route(pay, receive, amount).map(|(_, cost)| cost)
	}

	fn buy(
		who: &T::AccountId,
		pay: &CurrencyId,
		receive: &CurrencyId,
		amount: Balance,
		max_pay: Balance,
		send_to: &T::AccountId,
	) -> Result<Balance, DispatchError> {
		ensure!(pay != receive, Error::<T>::SameCurrency);
		let (path, cost) = Self::route(pay, receive, amount).ok_or(Error::<T>::NoRoute)?;
		ensure!(cost <= max_pay, Error::<T>::PriceAboveMaximum);
		let paid = T::Swap::swap_tokens_for_exact_tokens(
			who.clone(),
			path,
			amount,
			Some(max_pay),
			send_to.clone(),
			true,
		)?;
		Self::deposit_event(Event::Bought {
			who: who.clone(),
			pay: pay.clone(),
			paid,
			receive: receive.clone(),
			amount,
		});
		Ok(paid)
	}

	fn convert_refund(
		who: &T::AccountId,
		from: &CurrencyId,
		amount: Balance,
		to: &CurrencyId,
		owed: Balance,
	) -> DispatchResult {
		ensure!(from != to, Error::<T>::SameCurrency);
		with_storage_layer(|| {
			let platform = T::PlatformAccount::get();
			// The customer is paid first, so that its account stays alive while it gives the
			// refunded coins up.
			if !owed.is_zero() {
				T::Currencies::transfer(to.clone(), &platform, who, owed, Preservation::Preserve)?;
			}
			let pool_out = if amount.is_zero() {
				Zero::zero()
			} else {
				let (path, _) =
					Self::route_exact_in(from, to, amount).ok_or(Error::<T>::NoRoute)?;
				T::Swap::swap_exact_tokens_for_tokens(
					who.clone(),
					path,
					amount,
					None,
					platform.clone(),
					false,
				)?
			};
			Self::deposit_event(Event::RefundConverted {
				who: who.clone(),
				from: from.clone(),
				amount,
				to: to.clone(),
				owed,
				pool_out,
			});
			Ok(())
		})
	}

	fn native_value_in(currency: &CurrencyId, native: Balance) -> Option<Balance> {
		Pallet::<T>::native_value_in(currency, native)
	}

	fn reference_value(from: &CurrencyId, to: &CurrencyId, amount: Balance) -> Option<Balance> {
		Pallet::<T>::reference_value(from, to, amount)
	}
}
