//! Spending: a customer pays part of an open escrow order with tokens. The tokens are burnt
//! and their worth is returned from the order's escrow (the orders pallet's
//! [`entrepot_primitives::OrderDiscounts::discount`]), within the share of the order the
//! merchant's policy accepts in tokens.
//!
//! `pallet-assets` burns a remainder below the token's minimum balance along with the tokens
//! asked for, so a redemption must leave the customer no tokens or at least the minimum
//! ([`Error::WouldLeaveDust`]): exactly the tokens redeemed are burnt, and [`TokenIssued`] stays
//! the token's supply.

use crate::{pallet::*, Balance, OrderId};
use entrepot_primitives::OrderDiscounts;
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_redeem(
		who: T::AccountId,
		order_id: OrderId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let order = T::Orders::discountable(order_id).ok_or(Error::<T>::NotRedeemable)?;
		ensure!(order.customer == who, Error::<T>::NotCustomer);
		ensure!(!order.loyalty_share.is_zero(), Error::<T>::LoyaltyNotAccepted);
		let rate = CurrencyRates::<T>::get(&order.currency).ok_or(Error::<T>::NoRate)?;
		let discount = Self::tokens_to_value(amount, rate.tokens_per_unit);
		ensure!(discount > 0, Error::<T>::RedemptionTooSmall);
		ensure!(discount <= order.discount_room(), Error::<T>::ExceedsLoyaltyShare);
		let token = T::Assets::reducible_balance(
			T::TokenId::get(),
			&who,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		ensure!(token >= amount, Error::<T>::InsufficientTokens);
		let left = T::Assets::balance(T::TokenId::get(), &who).saturating_sub(amount);
		ensure!(
			left == 0 || left >= T::Assets::minimum_balance(T::TokenId::get()),
			Error::<T>::WouldLeaveDust
		);
		let issued = TokenIssued::<T>::get().checked_sub(amount).ok_or(Error::<T>::Overflow)?;

		T::Orders::discount(order_id, &who, discount)?;
		let burnt = T::Assets::burn_from(
			T::TokenId::get(),
			&who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		// Checked above: no remainder below the minimum is burnt along. Should the token burn
		// other than `amount` all the same, the call fails and changes nothing, rather than
		// let `TokenIssued` and the supply part.
		if burnt != amount {
			frame_support::defensive!("a redemption burnt other than its tokens");
			return Err(Error::<T>::WouldLeaveDust.into());
		}
		TokenIssued::<T>::put(issued);
		Self::deposit_event(Event::Redeemed { order_id, customer: who, tokens: amount, discount });
		Ok(())
	}
}
