//! The attacks of the security review (issue 12) that the runtime's wiring must refuse, each
//! performed against the real runtime configuration: conviction votes and escrow, stablecoin
//! roles, self-dealing for loyalty rewards, platform compensation, referendum cancellation.

use super::*;
use entrepot_primitives::{CurrencyId, NativeOrWithId, PaymentMode};
use frame_support::{
	traits::{fungibles::roles::Inspect as RolesInspect, StorePreimage},
	BoundedVec,
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_orders::{LineItem, MerchantPolicy};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{Dave, Eve, Ferdie};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding, traits::Dispatchable, DispatchError,
	FixedPointNumber, FixedU128, Permill, Rounding,
};

/// A merchant policy of `merchant` accepting `currencies`, with short windows and no holdback.
fn register(merchant: sp_keyring::Sr25519Keyring, currencies: Vec<CurrencyId>) {
	let policy = MerchantPolicy::<Runtime> {
		currencies: BoundedVec::truncate_from(currencies),
		ship_within: 2 * DAYS,
		auto_confirm_after: 10 * DAYS,
		refund_response_within: 2 * DAYS,
		return_window: 7 * DAYS,
		after_sales_window: 7 * DAYS,
		holdback: Permill::zero(),
		loyalty_share: Permill::zero(),
	};
	assert_ok!(Orders::register_merchant(signed(merchant), policy));
}

/// Has `customer` order one item of `price` in `currency` from `merchant`; returns the result
/// and the order id it would get.
fn order(
	customer: sp_keyring::Sr25519Keyring,
	merchant: sp_keyring::Sr25519Keyring,
	currency: CurrencyId,
	price: Balance,
	mode: PaymentMode,
) -> (sp_runtime::DispatchResult, entrepot_primitives::OrderId) {
	let id = pallet_orders::NextOrderId::<Runtime>::get();
	let items = BoundedVec::truncate_from(vec![LineItem {
		product: H256::repeat_byte(1),
		quantity: 1,
		unit_price: price,
	}]);
	let result = Orders::place_order(
		signed(customer),
		merchant.to_account_id(),
		currency,
		items,
		0,
		H256::repeat_byte(2),
		None,
		mode,
		H256::from_low_u64_be(id),
	);
	(result, id)
}

/// Submits a root-track referendum (a remark) from Alice; returns its index.
fn referendum() -> u32 {
	let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![1, 2, 3] });
	let proposal = <Preimage as StorePreimage>::bound(call).expect("a small call is inlined");
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		signed(Alice),
		Box::new(frame_system::RawOrigin::Root.into()),
		proposal,
		frame_support::traits::schedule::DispatchTime::After(10),
	));
	index
}

fn aye(balance: Balance) -> AccountVote<Balance> {
	AccountVote::Standard { vote: Vote { aye: true, conviction: Conviction::Locked1x }, balance }
}

/// A council motion passed by `ayes` of `of` members.
fn council(ayes: u32, of: u32) -> RuntimeOrigin {
	pallet_collective::RawOrigin::<AccountId, pallet_collective::Instance1>::Members(ayes, of)
		.into()
}

#[test]
fn vote_locked_ent_cannot_be_escrowed() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		register(Bob, vec![NativeOrWithId::Native]);
		let index = referendum();
		// Charlie votes with all but 1 ENT: enough left for an order's deposit, not for its
		// price.
		let charlie = Charlie.to_account_id();
		let voted = Balances::total_balance(&charlie) - UNITS;
		assert_ok!(ConvictionVoting::vote(signed(Charlie), index, aye(voted)));

		let (result, _) =
			order(Charlie, Bob, NativeOrWithId::Native, 100 * UNITS, PaymentMode::Escrow);
		assert_eq!(result, Err(pallet_escrow::Error::<Runtime>::InsufficientBalance.into()));
		// Voting with everything leaves not even the deposit.
		assert_ok!(ConvictionVoting::vote(signed(Charlie), index, aye(voted + UNITS)));
		let (result, _) =
			order(Charlie, Bob, NativeOrWithId::Native, 100 * UNITS, PaymentMode::Escrow);
		assert_eq!(result, Err(pallet_orders::Error::<Runtime>::InsufficientDeposit.into()));
		assert_eq!(Escrow::total_locked(NativeOrWithId::Native), 0);
		// A direct payment moves none of it either.
		let (result, _) =
			order(Charlie, Bob, NativeOrWithId::Native, 100 * UNITS, PaymentMode::Direct);
		assert!(result.is_err());
		assert_eq!(Balances::total_balance(&charlie), voted + UNITS);
	});
}

#[test]
fn escrowed_ent_cannot_be_voted_with() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		register(Bob, vec![NativeOrWithId::Native]);
		let index = referendum();
		let charlie = Charlie.to_account_id();
		let before = Balances::total_balance(&charlie);
		let price = 400_000 * UNITS;
		let (result, _) = order(Charlie, Bob, NativeOrWithId::Native, price, PaymentMode::Escrow);
		assert_ok!(result);
		// The escrowed ENT left Charlie's account: it counts for no vote of his.
		assert_eq!(Balances::total_balance(&charlie), before - price);
		assert_noop!(
			ConvictionVoting::vote(signed(Charlie), index, aye(before)),
			pallet_conviction_voting::Error::<Runtime>::InsufficientFunds
		);
		assert_noop!(
			ConvictionVoting::vote(signed(Charlie), index, aye(before - price + 1)),
			pallet_conviction_voting::Error::<Runtime>::InsufficientFunds
		);
		assert_ok!(ConvictionVoting::vote(signed(Charlie), index, aye(before - price)));
	});
}

#[test]
fn no_key_holds_a_stablecoin_role_and_only_governed_gateways_issue() {
	for preset in [DEV_PRESET, LOCAL_PRESET] {
		new_test_ext(preset).execute_with(|| {
			let issuer = Gateways::account_id();
			let keys: Vec<AccountId> =
				sp_keyring::Sr25519Keyring::iter().map(|k| k.to_account_id()).collect();
			for asset in [USDX, CNYX] {
				for role in [
					<Assets as RolesInspect<AccountId>>::owner(asset),
					<Assets as RolesInspect<AccountId>>::issuer(asset),
					<Assets as RolesInspect<AccountId>>::admin(asset),
					<Assets as RolesInspect<AccountId>>::freezer(asset),
				] {
					assert_eq!(role.as_ref(), Some(&issuer));
					assert!(!keys.contains(&issuer));
				}
			}
			// Alice, who held every role before, can mint through neither pallet.
			assert_noop!(
				Assets::mint(signed(Alice), USDX.into(), Alice.to_account_id().into(), 1_000_000),
				pallet_assets::Error::<Runtime>::NoPermission
			);
			assert_noop!(
				Gateways::deposit(signed(Alice), Alice.to_account_id(), 1_000_000, H256::zero()),
				pallet_gateways::Error::<Runtime>::NotAGateway
			);
			// One third of the council cannot appoint a gateway; two thirds can, and the
			// gateway then mints against its attested reserves.
			let dave = Dave.to_account_id();
			let limits = crate::genesis_config_presets::GATEWAY_LIMITS;
			assert_noop!(
				Gateways::appoint_gateway(council(1, 3), dave.clone(), USDX, limits),
				DispatchError::BadOrigin
			);
			assert_ok!(Gateways::appoint_gateway(council(2, 3), dave.clone(), USDX, limits));
			assert_ok!(Gateways::attest_reserves(signed(Dave), 1_000_000, H256::repeat_byte(1)));
			let before = Assets::total_issuance(USDX);
			assert_ok!(Gateways::deposit(
				signed(Dave),
				Eve.to_account_id(),
				1_000_000,
				H256::repeat_byte(7)
			));
			assert_eq!(Assets::total_issuance(USDX), before + 1_000_000);
			// Nor can governance appoint a gateway for the loyalty token, whose issuer is the
			// loyalty pallet.
			assert_noop!(
				Gateways::appoint_gateway(
					council(2, 3),
					Eve.to_account_id(),
					crate::configs::loyalty::LOYALTY_TOKEN,
					limits
				),
				pallet_gateways::Error::<Runtime>::NotAStablecoin
			);
			// Nobody burns a stablecoin around its gateway: `Assets::refund` with a burn is
			// filtered out for every signed account.
			let burn = RuntimeCall::Assets(pallet_assets::Call::refund {
				id: USDX.into(),
				allow_burn: true,
			});
			assert_eq!(
				burn.dispatch(signed(Alice)).map_err(|e| e.error),
				Err(frame_system::Error::<Runtime>::CallFiltered.into())
			);
		});
	}
}

/// Dave sells to Eve, whom he also controls, in `currency`, directly, confirms and reviews at
/// once. Returns the platform fee paid and the reward's worth at the redemption rate.
fn self_deal(currency: CurrencyId, price: Balance) -> (Balance, Balance) {
	let (result, id) = order(Eve, Dave, currency.clone(), price, PaymentMode::Direct);
	assert_ok!(result);
	let fee = Orders::order(id).expect("open").fees;
	assert_ok!(Orders::mark_shipped(signed(Dave), id, H256::repeat_byte(3)));
	assert_ok!(Orders::confirm_receipt(signed(Eve), id));
	let token = crate::configs::loyalty::LOYALTY_TOKEN;
	let before = Assets::balance(token, &Eve.to_account_id());
	assert_ok!(Loyalty::review(signed(Eve), id, 5, H256::repeat_byte(4)));
	let tokens = Assets::balance(token, &Eve.to_account_id()) - before;
	let rate = Loyalty::currency_rate(currency).expect("the currency earns");
	let worth = multiply_by_rational_with_rounding(
		tokens,
		FixedU128::DIV,
		rate.tokens_per_unit.into_inner(),
		Rounding::Up,
	)
	.expect("no overflow");
	(fee, worth)
}

#[test]
fn self_dealing_for_loyalty_rewards_is_unprofitable_at_every_genesis_rate() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let currencies = vec![
			NativeOrWithId::WithId(USDX),
			NativeOrWithId::WithId(CNYX),
			NativeOrWithId::Native,
		];
		register(Dave, currencies.clone());
		for (currency, price) in [
			(NativeOrWithId::WithId(USDX), 2_500 * STABLECOIN_UNIT),
			(NativeOrWithId::WithId(CNYX), 10_000 * STABLECOIN_UNIT),
			(NativeOrWithId::Native, 1_000 * UNITS),
		] {
			let (fee, worth) = self_deal(currency.clone(), price);
			assert!(fee > 0 && worth > 0, "{currency:?}: the loop earns something");
			assert!(2 * worth <= fee + 2, "{currency:?}: a reward worth {worth} for {fee} of fees");
		}
	});
}

#[test]
fn governance_cannot_set_a_rate_that_makes_self_dealing_profitable() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let usdx = NativeOrWithId::WithId(USDX);
		register(Dave, vec![usdx.clone()]);
		// The large rate first: at the small one the reward (0.005 LOY) is below the token's
		// minimum balance, and is minted only because Eve already holds LOY (it would lapse
		// otherwise, earning nothing).
		for tokens_per_unit in [FixedU128::from_u32(1_000_000), FixedU128::from_rational(1, 1_000)]
		{
			let rate = pallet_loyalty::CurrencyRate {
				reward_rate: Permill::one(),
				tokens_per_unit,
				min_order_value: 0,
			};
			assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), usdx.clone(), Some(rate)));
			let mut limits = pallet_loyalty::Limits::<Runtime>::get();
			limits.per_order_cap = Balance::MAX;
			limits.per_period_cap = Balance::MAX;
			assert_ok!(Loyalty::set_limits(RuntimeOrigin::root(), limits));
			let (fee, worth) = self_deal(usdx.clone(), 1_000 * STABLECOIN_UNIT);
			assert!(2 * worth <= fee + 2, "a reward worth {worth} for {fee} of fees");
		}
	});
}

#[test]
fn a_majority_cannot_pay_a_compensation_above_the_orders_fees() {
	use pallet_disputes::{DisputeKind, DisputeReason};
	new_test_ext(LOCAL_PRESET).execute_with(|| {
		let usdx = NativeOrWithId::WithId(USDX);
		register(Bob, vec![usdx.clone()]);
		let (result, id) = order(Charlie, Bob, usdx, 40 * STABLECOIN_UNIT, PaymentMode::Escrow);
		assert_ok!(result);
		assert_ok!(Orders::mark_shipped(signed(Bob), id, H256::repeat_byte(3)));
		assert_ok!(Orders::confirm_receipt(signed(Charlie), id));
		let fees = Orders::order(id).expect("open").fees;
		assert_eq!(fees, 400_000, "1% of 40 USDX");
		let dispute = pallet_disputes::NextDisputeId::<Runtime>::get();
		assert_ok!(Disputes::open_dispute(
			signed(Charlie),
			id,
			DisputeKind::Platform,
			DisputeReason::WrongFee,
			H256::repeat_byte(5),
		));
		// Two of the three council members: a majority, but the cap binds it.
		assert_noop!(
			Disputes::decide(council(2, 3), dispute, fees + 1),
			pallet_disputes::Error::<Runtime>::CompensationAboveCap
		);
		assert_noop!(
			Disputes::decide(council(2, 3), dispute, 1_000 * STABLECOIN_UNIT),
			pallet_disputes::Error::<Runtime>::CompensationAboveCap
		);
		let before = Assets::balance(USDX, &Charlie.to_account_id());
		assert_ok!(Disputes::decide(council(2, 3), dispute, fees));
		assert_eq!(Assets::balance(USDX, &Charlie.to_account_id()), before + fees);
	});
}

#[test]
fn the_local_chain_has_arbiters_from_genesis() {
	new_test_ext(LOCAL_PRESET).execute_with(|| {
		assert_eq!(
			Disputes::arbiters(),
			vec![Dave.to_account_id(), Eve.to_account_id(), Ferdie.to_account_id()]
		);
	});
}

#[test]
fn the_council_cannot_cancel_a_referendum_and_the_cancel_track_can() {
	new_test_ext(LOCAL_PRESET).execute_with(|| {
		let index = referendum();
		// Even unanimous, the council cannot stop a referendum (it may be about the council).
		assert_noop!(Referenda::cancel(council(3, 3), index), DispatchError::BadOrigin);
		let canceller: RuntimeOrigin = pallet_custom_origins::Origin::ReferendumCanceller.into();
		assert_ok!(Referenda::cancel(canceller, index));
		// The cancel track is a referendum track of its own, decided by token holders.
		use pallet_referenda::TracksInfo as _;
		let origin: OriginCaller = pallet_custom_origins::Origin::ReferendumCanceller.into();
		assert_eq!(
			crate::governance::tracks::TracksInfo::track_for(&origin),
			Ok(crate::governance::tracks::CANCEL_TRACK)
		);
	});
}

#[test]
fn the_root_track_keeps_a_support_floor() {
	use pallet_referenda::TracksInfo as _;
	let tracks: Vec<_> = crate::governance::tracks::TracksInfo::tracks().collect();
	for track in tracks {
		let end = track.info.min_support.threshold(sp_runtime::Perbill::one());
		assert!(!end.is_zero(), "track {} lets a referendum pass without turnout", track.id);
		if track.id == crate::governance::tracks::ROOT_TRACK {
			assert!(end >= sp_runtime::Perbill::from_percent(10));
		}
	}
}
