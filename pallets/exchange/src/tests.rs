//! Unit tests of the exchange pallet against real pools.

use crate::{mock::*, *};
use entrepot_primitives::Exchange as _;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungibles::{Inspect, Mutate},
	traits::tokens::Preservation,
};
use pallet_asset_conversion::Swap;
use sp_runtime::{traits::Zero, DispatchError, FixedU128, Permill};

fn balance(currency: CurrencyId, who: AccountId) -> Balance {
	<Currencies as Inspect<_>>::balance(currency, &who)
}

fn pool(a: CurrencyId, b: CurrencyId) -> AccountId {
	use pallet_asset_conversion::PoolLocator;
	<Test as pallet_asset_conversion::Config>::PoolLocator::pool_address(&a, &b).unwrap()
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

#[test]
fn buying_pays_the_quote_into_the_pools_and_the_exact_amount_out() {
	new_test_ext().execute_with(|| {
		let amount = 1_000_000;
		let cost = Exchange::quote(&cny(), &usd(), amount).unwrap();
		// About 7 CNY a USD, plus the pool fee.
		assert!(cost > 7 * amount && cost < 7 * amount * 1_01 / 100, "cost {cost}");
		let (path, _) = Exchange::route(&cny(), &usd(), amount).unwrap();
		let cny_before = balance(cny(), ALICE);
		let usd_before = balance(usd(), ALICE);
		let pools_cny_before: Balance =
			[pool(cny(), usd()), pool(ENT, cny())].iter().map(|p| balance(cny(), *p)).sum();

		assert_eq!(Exchange::buy(&ALICE, &cny(), &usd(), amount, cost, &ALICE), Ok(cost));

		assert_eq!(balance(cny(), ALICE), cny_before - cost);
		assert_eq!(balance(usd(), ALICE), usd_before + amount);
		let pools_cny_after: Balance =
			[pool(cny(), usd()), pool(ENT, cny())].iter().map(|p| balance(cny(), *p)).sum();
		assert_eq!(pools_cny_after - pools_cny_before, cost, "the pools received what was paid");
		assert!(path.len() == 2 || path.len() == 3);
		assert_eq!(
			last_event(),
			Event::Bought { who: ALICE, pay: cny(), paid: cost, receive: usd(), amount }.into()
		);
	});
}

#[test]
fn the_cheaper_route_is_taken() {
	new_test_ext().execute_with(|| {
		let amount = 1_000_000;
		let (direct, _) = (vec![cny(), usd()], 0);
		let (path, cost) = Exchange::route(&cny(), &usd(), amount).unwrap();
		// Two pool fees through ENT cost more than one in the direct pool at equal prices.
		assert_eq!(path, direct);
		// Drain the direct pool's USD: now only the route through ENT can pay.
		let shallow = pool(usd(), cny());
		let usd_in_pool = balance(usd(), shallow);
		assert_ok!(<Currencies as Mutate<_>>::mint_into(cny(), &BOB, 1_000 * DEPTH));
		assert_ok!(<AssetConversion as Swap<_>>::swap_tokens_for_exact_tokens(
			BOB,
			vec![cny(), usd()],
			usd_in_pool - 20 * amount,
			None,
			BOB,
			true
		)
		.map(|_| ()));
		let (path, after) = Exchange::route(&cny(), &usd(), amount).unwrap();
		assert_eq!(path, vec![cny(), ENT, usd()]);
		assert_eq!(Exchange::quote(&cny(), &usd(), amount), Some(after));
		assert!(after > cost);
	});
}

#[test]
fn a_purchase_above_the_maximum_or_without_a_route_moves_nothing() {
	new_test_ext().execute_with(|| {
		let amount = 1_000_000;
		let cost = Exchange::quote(&cny(), &usd(), amount).unwrap();
		let unknown = CurrencyId::WithId(77);
		assert_noop!(
			Exchange::buy(&ALICE, &cny(), &usd(), amount, cost - 1, &ALICE),
			Error::<Test>::PriceAboveMaximum
		);
		assert_noop!(
			Exchange::buy(&ALICE, &unknown, &usd(), amount, u128::MAX, &ALICE),
			Error::<Test>::NoRoute
		);
		assert_noop!(
			Exchange::buy(&ALICE, &usd(), &usd(), amount, u128::MAX, &ALICE),
			Error::<Test>::SameCurrency
		);
		// Deeper than the pools can pay.
		assert_eq!(Exchange::quote(&cny(), &usd(), 100 * DEPTH), None);
		assert_noop!(
			Exchange::buy(&ALICE, &cny(), &usd(), 100 * DEPTH, u128::MAX, &ALICE),
			Error::<Test>::NoRoute
		);
		// More than the buyer holds: the pool refuses, nothing moved.
		assert_noop!(
			Exchange::buy(&BOB, &cny(), &usd(), amount, u128::MAX, &BOB),
			sp_runtime::TokenError::NotExpendable
		);
	});
}

#[test]
fn a_refund_is_converted_back_at_the_paid_rate_with_the_platform_bearing_the_difference() {
	new_test_ext().execute_with(|| {
		let amount = 1_000_000;
		let owed = 7_050_000;
		let platform_cny = balance(cny(), PLATFORM);
		let cny_before = balance(cny(), ALICE);
		let usd_before = balance(usd(), ALICE);
		let (_, pool_out) = Exchange::route_exact_in(&usd(), &cny(), amount).unwrap();

		assert_ok!(Exchange::convert_refund(&ALICE, &usd(), amount, &cny(), owed));

		assert_eq!(balance(cny(), ALICE), cny_before + owed);
		assert_eq!(balance(usd(), ALICE), usd_before - amount);
		// The platform paid `owed` and received what the pools paid for the refund.
		assert_eq!(balance(cny(), PLATFORM), platform_cny - owed + pool_out);
		assert!(pool_out < owed, "the pool fee and price made the refund dearer to the platform");
		assert_eq!(
			last_event(),
			Event::RefundConverted { who: ALICE, from: usd(), amount, to: cny(), owed, pool_out }
				.into()
		);
	});
}

#[test]
fn a_refund_the_platform_cannot_pay_moves_nothing() {
	new_test_ext().execute_with(|| {
		let all = balance(cny(), PLATFORM);
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			cny(),
			&PLATFORM,
			&BOB,
			all - 10,
			Preservation::Preserve
		));
		let before = (balance(cny(), ALICE), balance(usd(), ALICE));
		assert!(Exchange::convert_refund(&ALICE, &usd(), 1_000_000, &cny(), 7_000_000).is_err());
		assert_eq!((balance(cny(), ALICE), balance(usd(), ALICE)), before);
	});
}

#[test]
fn reference_values_round_up_and_bound_fees() {
	new_test_ext().execute_with(|| {
		// 7 planck of ENT are worth 24.5 planck of CNY: 25 rounded up; 2 USD planck worth 4 ENT.
		assert_eq!(Exchange::native_value_in(&cny(), 7), Some(25));
		assert_eq!(Exchange::native_value_in(&usd(), 4), Some(2));
		assert_eq!(Exchange::native_value_in(&ENT, 4), Some(4));
		assert_eq!(Exchange::native_value_in(&CurrencyId::WithId(77), 4), None);
		// Between any two currencies, through their rates in one rounding: 2 USD planck are 4
		// ENT planck; 7 CNY planck are 2 ENT planck, so 1 USD planck (2/7 is stored a hair low,
		// and rounding up never gives less).
		assert_eq!(Exchange::reference_value(&usd(), &ENT, 2), Some(4));
		assert_eq!(Exchange::reference_value(&ENT, &usd(), 4), Some(2));
		assert_eq!(Exchange::reference_value(&cny(), &usd(), 7), Some(1));
		assert_eq!(Exchange::reference_value(&usd(), &cny(), 1_000_000), Some(7_000_001));
		assert_eq!(Exchange::reference_value(&cny(), &cny(), 5), Some(5));
		assert_eq!(Exchange::reference_value(&usd(), &CurrencyId::WithId(77), 1), None);
		// 5% above the reference value.
		assert_eq!(Exchange::fee_bound(&usd(), 2_000_000), Some(1_050_000));
		let fee = Exchange::fee_in(&usd(), 2_000_000).unwrap();
		assert!(fee > 1_000_000 && fee <= 1_050_000, "fee {fee}");
	});
}

#[test]
fn a_sandwiched_fee_swap_is_refused_beyond_the_deviation_bound() {
	new_test_ext().execute_with(|| {
		let native_fee = 2_000_000;
		let honest = Exchange::fee_in(&usd(), native_fee).unwrap();
		// The attacker buys ENT with USD, pushing ENT's price in USD up by about 10%.
		assert_ok!(<Currencies as Mutate<_>>::mint_into(usd(), &BOB, 10 * DEPTH));
		assert_ok!(<AssetConversion as Swap<_>>::swap_exact_tokens_for_tokens(
			BOB,
			vec![usd(), ENT],
			DEPTH / 20,
			None,
			BOB,
			true
		)
		.map(|_| ()));
		let pushed =
			AssetConversion::quote_price_tokens_for_exact_tokens(usd(), ENT, native_fee, true)
				.unwrap();
		assert!(pushed * 100 > honest * 105, "the price moved beyond the bound");
		assert_eq!(Exchange::fee_in(&usd(), native_fee), None);
		// A smaller push stays within the bound: the fee costs at most 5% more.
		assert_ok!(<AssetConversion as Swap<_>>::swap_exact_tokens_for_tokens(
			BOB,
			vec![ENT, usd()],
			DEPTH / 11,
			None,
			BOB,
			true
		)
		.map(|_| ()));
		if let Some(fee) = Exchange::fee_in(&usd(), native_fee) {
			assert!(fee <= Exchange::fee_bound(&usd(), native_fee).unwrap());
		}
	});
}

#[test]
fn governance_sets_rates_and_the_bound() {
	new_test_ext().execute_with(|| {
		let rate = FixedU128::from_rational(21, 10);
		assert_noop!(
			Exchange::set_reference_rate(RuntimeOrigin::signed(ALICE), usd(), Some(rate)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Exchange::set_reference_rate(RuntimeOrigin::root(), ENT, Some(rate)),
			Error::<Test>::NativeHasNoRate
		);
		assert_noop!(
			Exchange::set_reference_rate(RuntimeOrigin::root(), usd(), Some(FixedU128::zero())),
			Error::<Test>::ZeroRate
		);
		assert_ok!(Exchange::set_reference_rate(RuntimeOrigin::root(), usd(), Some(rate)));
		assert_eq!(ReferenceRates::<Test>::get(usd()), Some(rate));
		assert_ok!(Exchange::set_reference_rate(RuntimeOrigin::root(), usd(), None));
		assert_eq!(Exchange::fee_in(&usd(), 1_000), None, "no rate: no fees in it");
		assert_noop!(
			Exchange::set_max_fee_deviation(RuntimeOrigin::signed(ALICE), Permill::zero()),
			DispatchError::BadOrigin
		);
		assert_ok!(Exchange::set_max_fee_deviation(
			RuntimeOrigin::root(),
			Permill::from_percent(1)
		));
		assert_eq!(MaxFeeDeviation::<Test>::get(), Permill::from_percent(1));
	});
}
