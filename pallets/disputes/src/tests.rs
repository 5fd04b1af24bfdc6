//! Unit tests of the disputes pallet against the real orders, escrow, balances and assets
//! pallets, named after the behaviour they show. Every test ends with the three pallets'
//! `try_state` (see [`build_and_execute`]).
//!
//! Arithmetic used throughout (platform fee 1%): ALICE's order with BOB is 2 × 450 + 100 =
//! 1_000 USD, shipped at block 1 and disputed at block 1, so 1_000 is frozen. A payout of
//! `refund` gives ALICE `refund` back and BOB `1_000 - refund` minus 1% (rounded down), the fee
//! to the fee account: ALICE + BOB + fee == 1_000 exactly. A party's agreement deposit is 50 ENT
//! and a stake of 5% of the frozen money, 50 USD (an appeal: 80 ENT and the same stake), moved
//! to this pallet's account and held there. The arbiter fee is 20 ENT: a losing side's 50 ENT
//! pay the arbiter 20 and the platform 30, and its 50 USD go to the other side. An arbiter is
//! drawn `DRAW_DELAY` (3) blocks after an escalation.

use crate::{
	impls::DeadlineQueue, mock::*, ArbiterCases, ArbiterMisses, Balance, CurrencyId, Deadline,
	DeadlineAt, DeadlineCursor, DeadlineKind, Deadlines, Deposit, DisputeId, DisputeKind,
	DisputeOfOrder, DisputeReason, Disputes as DisputeStore, DisputesOfParty, Error, Event,
	HoldReason, OrderId, Params, Proposal, Resolution, Side, Stage, TotalDeposits, WeightInfo,
};
use codec::Encode;
use entrepot_primitives::{legacy_reference, OrderDisputes};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungibles::{Inspect, InspectHold, Mutate},
		tokens::Preservation,
		Get, Hooks, LockableCurrency, WithdrawReasons,
	},
	weights::Weight,
};
use pallet_orders::{OrderStatus, RefundReason};
use sp_core::H256;
use sp_runtime::{DispatchError, Permill};

mod migration;
mod property;

type OrdersError = pallet_orders::Error<Test>;

/// A party's deposit in ALICE's 1_000 USD agreement dispute: 50 ENT and 5% of 1_000 USD.
const PARTY_DEPOSIT: Deposit = Deposit::stated(50, 50);
/// An appellant's deposit in ALICE's agreement dispute: 80 ENT and the same stake.
const APPEAL_DEPOSIT: Deposit = Deposit::stated(80, 50);

fn free(currency: CurrencyId, who: AccountId) -> Balance {
	<Currencies as Inspect<_>>::balance(currency, &who)
}

/// What `who` holds in `currency` for dispute deposits.
fn held_by(currency: CurrencyId, who: AccountId) -> Balance {
	<Holds as InspectHold<_>>::balance_on_hold(currency, &HoldReason::DisputeDeposit.into(), &who)
}

/// What this pallet's account holds in `currency` for dispute deposits.
fn held(currency: CurrencyId) -> Balance {
	held_by(currency, vault())
}

/// This pallet's account holds `ent` and `usd` of deposits, and [`TotalDeposits`] says so.
fn assert_held(ent: Balance, usd: Balance) {
	assert_eq!((held(ENT), held(USDX)), (ent, usd), "deposits held on the vault");
	assert_eq!(
		(TotalDeposits::<Test>::get(ENT), TotalDeposits::<Test>::get(USDX)),
		(ent, usd),
		"TotalDeposits"
	);
}

/// The deposits held from the customer and the merchant of an open dispute.
fn deposits(id: DisputeId) -> (Deposit, Deposit) {
	let d = Disputes::dispute(id).expect("open dispute");
	(d.customer_deposit, d.merchant_deposit)
}

fn ev(e: Event<Test>) {
	System::assert_has_event(RuntimeEvent::Disputes(e));
}

fn evidence(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn register(who: AccountId) {
	assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(who), policy()));
}

/// Places ALICE's 1_000 USD order with BOB (registering BOB first) and ships it.
fn shipped_order() -> OrderId {
	shipped_order_of(ALICE, USDX, 2, 450, 100)
}

fn shipped_order_of(
	customer: AccountId,
	currency: CurrencyId,
	quantity: u32,
	unit_price: Balance,
	freight: Balance,
) -> OrderId {
	if Orders::merchant_policy(BOB).is_none() {
		register(BOB);
	}
	let id = pallet_orders::NextOrderId::<Test>::get();
	assert_ok!(Orders::place_order(
		RuntimeOrigin::signed(customer),
		BOB,
		currency,
		items(quantity, unit_price),
		freight,
		H256::repeat_byte(1),
		None,
		pallet_orders::PaymentMode::Escrow,
		H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
	));
	assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(9)));
	id
}

/// ALICE's order, settled: BOB was paid 900 gross (9 of fees taken), the 100 holdback stays
/// locked for 30 blocks.
fn settled_order() -> OrderId {
	let id = shipped_order();
	assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
	id
}

fn open(who: AccountId, order: OrderId, kind: DisputeKind, reason: DisputeReason) -> DisputeId {
	let id = crate::NextDisputeId::<Test>::get();
	assert_ok!(Disputes::open_dispute(
		RuntimeOrigin::signed(who),
		order,
		kind,
		reason,
		evidence(1)
	));
	id
}

/// ALICE disputes her shipped 1_000 USD order (agreement, not received).
fn alice_disputes() -> (OrderId, DisputeId) {
	let order = shipped_order();
	let id = open(ALICE, order, DisputeKind::Agreement, DisputeReason::NotReceived);
	(order, id)
}

fn stage(id: DisputeId) -> Stage<Test> {
	Disputes::dispute(id).expect("open dispute").stage
}

fn add_arbiters(arbiters: &[AccountId]) {
	for a in arbiters {
		assert_ok!(Disputes::add_arbiter(RuntimeOrigin::root(), *a));
	}
}

/// ALICE's dispute, engaged by BOB's escalation at block 1, with the arbiter drawn at block
/// 1 + DRAW_DELAY = 4 among `arbiters` (ruling due at 14). Returns the order, the dispute and
/// the arbiter.
fn in_arbitration(arbiters: &[AccountId]) -> (OrderId, DisputeId, AccountId) {
	add_arbiters(arbiters);
	let (order, id) = alice_disputes();
	assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
	run_to_block(System::block_number() + DRAW_DELAY);
	let Stage::Arbitration { arbiter, .. } = stage(id) else { panic!("not in arbitration") };
	(order, id, arbiter)
}

/// USD balances of ALICE, BOB and the fee account.
fn usd_books() -> (Balance, Balance, Balance) {
	(free(USDX, ALICE), free(USDX, BOB), free(USDX, FEE))
}

/// Checks a payout of the frozen money: ALICE got `refund`, BOB the rest minus 1%, the fee
/// account the 1%; together exactly `frozen`. `stakes` are the USD ALICE and BOB received from
/// the deposits at the same time (their own stakes back, or the losing side's).
fn assert_paid_out(
	before: (Balance, Balance, Balance),
	frozen: Balance,
	refund: Balance,
	stakes: (Balance, Balance),
) {
	let after = usd_books();
	let customer = after.0 - before.0 - stakes.0;
	let merchant = after.1 - before.1 - stakes.1;
	let fee = after.2 - before.2;
	assert_eq!(customer, refund, "customer's refund");
	assert_eq!(fee, (frozen - refund) / 100, "platform fee");
	assert_eq!(customer + merchant + fee, frozen, "customer + merchant + fee != frozen");
}

fn assert_gone(order: OrderId, id: DisputeId) {
	assert!(Disputes::dispute(id).is_none());
	assert!(DisputeOfOrder::<Test>::get(order).is_none());
	assert_eq!(DeadlineAt::<Test>::get(id), None);
	assert!(Orders::order(order).is_none(), "the order is archived");
	assert_eq!(Orders::frozen(order), None);
}

/// The customer's storage deposit for an open order, returned when it is archived.
fn order_deposit(order: OrderId) -> Balance {
	Orders::order(order).expect("open order").deposit
}

fn order_status(order: OrderId) -> OrderStatus<Test> {
	Orders::order(order).expect("open order").status
}

fn resolved(id: DisputeId) -> bool {
	dispute_events()
		.iter()
		.any(|e| matches!(e, Event::Resolved { dispute_id, .. } if *dispute_id == id))
}

// ---- Opening ------------------------------------------------------------------------------------

#[test]
fn open_agreement_dispute_freezes_the_order_and_holds_the_deposit() {
	build_and_execute(|| {
		let order = shipped_order();
		let (alice_ent, alice_usd) = (free(ENT, ALICE), free(USDX, ALICE));
		let id = open(ALICE, order, DisputeKind::Agreement, DisputeReason::NotReceived);
		// 50 ENT and 5% of the 1_000 USD frozen, moved to this pallet's account and held there.
		assert_eq!((free(ENT, ALICE), free(USDX, ALICE)), (alice_ent - 50, alice_usd - 50));
		assert_held(50, 50);
		assert_eq!(held_by(ENT, ALICE) + held_by(USDX, ALICE), 0);
		assert_eq!(Orders::frozen(order), Some(1_000));
		let dispute = Disputes::dispute(id).unwrap();
		assert_eq!(dispute.frozen, 1_000);
		assert_eq!(dispute.opener, Side::Customer);
		assert_eq!(
			(dispute.customer, dispute.merchant, dispute.currency.clone()),
			(ALICE, BOB, USDX)
		);
		assert_eq!(
			(dispute.customer_deposit.clone(), dispute.merchant_deposit.clone()),
			(PARTY_DEPOSIT, Deposit::default())
		);
		assert_eq!(dispute.stage, Stage::Negotiating { respond_by: 6, negotiate_by: 11 });
		assert_eq!(dispute.customer_evidence.to_vec(), vec![evidence(1)]);
		assert_eq!(dispute.terms, AGREEMENT);
		assert_eq!(Disputes::dispute_of_order(order).map(|(i, _)| i), Some(id));
		assert_eq!(Disputes::disputes_of(BOB, None, 10).len(), 1);
		// One deadline, the respondent's; the negotiation's replaces it once it engages.
		assert_eq!(dispute.deadline(), (DeadlineKind::Response, 6));
		assert_eq!(Deadlines::<Test>::get(6, id), Some(Deadline::new(DeadlineKind::Response)));
		assert_eq!(DeadlineAt::<Test>::get(id), Some(6));
		assert_eq!(Deadlines::<Test>::iter().count(), 1);
		ev(Event::DisputeOpened {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			kind: DisputeKind::Agreement,
			reason: DisputeReason::NotReceived,
			opener: ALICE,
			frozen: 1_000,
			deposit: PARTY_DEPOSIT,
			deadline: 6,
		});
		// The parties can no longer move the order on.
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), order),
			OrdersError::OrderDisputed
		);
	});
}

#[test]
fn open_after_sales_dispute_freezes_the_holdback_with_its_own_terms() {
	build_and_execute(|| {
		let order = settled_order();
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::Defective);
		// 40 ENT and 5% of the 100 USD holdback.
		assert_eq!(deposits(id).0, Deposit::stated(AFTER_SALES.deposit, 5));
		assert_held(40, 5);
		assert_eq!(Orders::frozen(order), Some(100));
		let dispute = Disputes::dispute(id).unwrap();
		assert_eq!(dispute.frozen, 100);
		assert_eq!(dispute.stage, Stage::Negotiating { respond_by: 5, negotiate_by: 9 });
	});
}

#[test]
fn open_platform_dispute_freezes_nothing_and_goes_to_governance() {
	build_and_execute(|| {
		register(BOB);
		// Any open order, even one not shipped yet.
		let order = pallet_orders::NextOrderId::<Test>::get();
		assert_ok!(Orders::place_order(
			RuntimeOrigin::signed(ALICE),
			BOB,
			USDX,
			items(2, 450),
			100,
			H256::repeat_byte(1),
			None,
			pallet_orders::PaymentMode::Escrow,
			H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
		));
		let id = open(BOB, order, DisputeKind::Platform, DisputeReason::WrongFee);
		// Nothing frozen: no stake, only the flat 30 ENT.
		assert_eq!(deposits(id).1, Deposit::stated(PLATFORM_KIND.deposit, 0));
		assert_held(30, 0);
		assert_eq!(Orders::frozen(order), None);
		let dispute = Disputes::dispute(id).unwrap();
		assert_eq!(dispute.frozen, 0);
		assert_eq!(dispute.stage, Stage::AwaitingGovernance { decide_by: 16 });
		assert_eq!(Deadlines::<Test>::get(16, id), Some(Deadline::new(DeadlineKind::Decision)));
		ev(Event::SentToGovernance { dispute_id: id, decide_by: 16 });
		// The order is not frozen: the merchant can still ship it.
		assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), order, H256::zero()));
	});
}

#[test]
fn open_dispute_fails_when_not_allowed() {
	build_and_execute(|| {
		let order = shipped_order();
		let o = |who| RuntimeOrigin::signed(who);
		assert_noop!(
			Disputes::open_dispute(
				RuntimeOrigin::none(),
				order,
				DisputeKind::Agreement,
				DisputeReason::Damaged,
				evidence(1)
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				99,
				DisputeKind::Agreement,
				DisputeReason::Damaged,
				evidence(1)
			),
			Error::<Test>::OrderNotFound
		);
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				order,
				DisputeKind::Agreement,
				DisputeReason::Defective,
				evidence(1)
			),
			Error::<Test>::ReasonNotForKind
		);
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				order,
				DisputeKind::Platform,
				DisputeReason::Damaged,
				evidence(1)
			),
			Error::<Test>::ReasonNotForKind
		);
		assert_noop!(
			Disputes::open_dispute(
				o(CHARLIE),
				order,
				DisputeKind::Agreement,
				DisputeReason::Damaged,
				evidence(1)
			),
			Error::<Test>::NotParty
		);
		assert_noop!(
			Disputes::open_dispute(
				o(BOB),
				order,
				DisputeKind::AfterSales,
				DisputeReason::Defective,
				evidence(1)
			),
			Error::<Test>::NotCustomer
		);
		// The order is shipped, not settled: no after-sales dispute yet (orders refuses).
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				order,
				DisputeKind::AfterSales,
				DisputeReason::Defective,
				evidence(1)
			),
			OrdersError::RefundWindowClosed
		);
		// An unshipped order cannot be disputed for agreement.
		let unshipped = pallet_orders::NextOrderId::<Test>::get();
		assert_ok!(Orders::place_order(
			o(ALICE),
			BOB,
			USDX,
			items(1, 100),
			0,
			H256::zero(),
			None,
			pallet_orders::PaymentMode::Escrow,
			H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
		));
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				unshipped,
				DisputeKind::Agreement,
				DisputeReason::NotReceived,
				evidence(1)
			),
			OrdersError::NotShippedYet
		);
		// One open dispute about the order's money, and one platform dispute: a platform
		// dispute cannot keep the other party from disputing the money.
		open(BOB, order, DisputeKind::Platform, DisputeReason::WrongFee);
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				order,
				DisputeKind::Platform,
				DisputeReason::WrongAutomaticRelease,
				evidence(2)
			),
			Error::<Test>::OrderAlreadyDisputed
		);
		open(ALICE, order, DisputeKind::Agreement, DisputeReason::Damaged);
		assert_noop!(
			Disputes::open_dispute(
				o(BOB),
				order,
				DisputeKind::Agreement,
				DisputeReason::ReturnNotReceived,
				evidence(2)
			),
			Error::<Test>::OrderAlreadyDisputed
		);
		// A deposit the opener cannot pay.
		let mut params = DefaultParams::get();
		params.platform.deposit = 1_000_000_000;
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		assert_noop!(
			Disputes::open_dispute(
				o(ALICE),
				unshipped,
				DisputeKind::Platform,
				DisputeReason::WrongFee,
				evidence(1)
			),
			Error::<Test>::InsufficientDeposit
		);
	});
}

#[test]
fn a_merchant_cannot_open_an_agreement_dispute_to_run_down_the_customers_clock() {
	build_and_execute(|| {
		let order = shipped_order();
		// A plain shipped order: the customer's auto-confirm clock pays the merchant; a
		// dispute would only stop the clock the customer relies on to think it over.
		assert_noop!(
			Disputes::open_dispute(
				RuntimeOrigin::signed(BOB),
				order,
				DisputeKind::Agreement,
				DisputeReason::OtherAgreement,
				evidence(1)
			),
			OrdersError::MerchantCannotDispute
		);
		assert_eq!(order_status(order), OrderStatus::Shipped { confirm_by: 21 });
		assert_eq!(Orders::frozen(order), None);
		assert_held(0, 0);

		// Once the customer asked for a refund, the merchant may dispute the request.
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			order,
			300,
			true,
			RefundReason::Damaged
		));
		let bob = (free(ENT, BOB), free(USDX, BOB));
		let id = open(BOB, order, DisputeKind::Agreement, DisputeReason::ReturnNotReceived);
		assert_eq!((free(ENT, BOB), free(USDX, BOB)), (bob.0 - 50, bob.1 - 50));
		assert_eq!(deposits(id), (Deposit::default(), PARTY_DEPOSIT));
		assert_held(50, 50);
		let dispute = Disputes::dispute(id).unwrap();
		assert_eq!(dispute.opener, Side::Merchant);
		assert_eq!(dispute.merchant_evidence.len(), 1);
		assert_eq!(Orders::frozen(order), Some(1_000));
		ev(Event::DisputeOpened {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			kind: DisputeKind::Agreement,
			reason: DisputeReason::ReturnNotReceived,
			opener: BOB,
			frozen: 1_000,
			deposit: PARTY_DEPOSIT,
			deadline: 6,
		});
	});
}

#[test]
fn deposits_scale_with_the_money_in_dispute() {
	build_and_execute(|| {
		// 200 USD, 100_000 USD and 1_001 USD: stakes of 10, 5_000 and 50.05, rounded up to 51.
		let small = shipped_order_of(ALICE, USDX, 1, 200, 0);
		let large = shipped_order_of(DAVE, USDX, 2, 50_000, 0);
		let odd = shipped_order_of(ALICE, USDX, 1, 1_001, 0);
		let (alice_usd, dave_usd) = (free(USDX, ALICE), free(USDX, DAVE));
		let (alice_ent, dave_ent) = (free(ENT, ALICE), free(ENT, DAVE));
		let small_id = open(ALICE, small, DisputeKind::Agreement, DisputeReason::Damaged);
		let large_id = open(DAVE, large, DisputeKind::Agreement, DisputeReason::Damaged);
		let odd_id = open(ALICE, odd, DisputeKind::Agreement, DisputeReason::Damaged);
		assert_eq!(deposits(small_id).0, Deposit::stated(50, 10));
		assert_eq!(deposits(large_id).0, Deposit::stated(50, 5_000));
		assert_eq!(deposits(odd_id).0, Deposit::stated(50, 51));
		assert_eq!(
			Disputes::dispute(large_id).unwrap().appellant_deposit(),
			Deposit::stated(80, 5_000)
		);
		// Taken from the openers, held on the vault.
		assert_eq!((free(USDX, ALICE), free(USDX, DAVE)), (alice_usd - 61, dave_usd - 5_000));
		assert_eq!((free(ENT, ALICE), free(ENT, DAVE)), (alice_ent - 100, dave_ent - 50));
		assert_held(150, 5_061);
		// The merchant engaging in the large dispute stakes as much as its customer.
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(BOB), large_id, evidence(2)));
		assert_eq!(deposits(large_id).1, Deposit::stated(50, 5_000));
		assert_held(200, 10_061);
		ev(Event::RespondentEngaged {
			dispute_id: large_id,
			respondent: BOB,
			deposit: Deposit::stated(50, 5_000),
		});
		// In an ENT order the stake is ENT too.
		let native = shipped_order_of(DAVE, ENT, 1, 1_000, 0);
		let native_id = open(DAVE, native, DisputeKind::Agreement, DisputeReason::Damaged);
		assert_eq!(deposits(native_id).0, Deposit::stated(50, 50));
		assert_held(300, 10_061);
	});
}

#[test]
fn frozen_funds_cannot_be_posted_as_a_dispute_deposit() {
	build_and_execute(|| {
		let order = shipped_order();
		// ALICE's ENT is vote-locked (all of it: a lock also covers what is held, such as her
		// order deposit): it stays on her account, but she cannot post it.
		let free_ent = free(ENT, ALICE);
		let total = free_ent + order_deposit(order);
		<Balances as LockableCurrency<_>>::set_lock(
			*b"vote    ",
			&ALICE,
			total,
			WithdrawReasons::all(),
		);
		// DAVE's USD account is frozen by the asset's freezer: he cannot post the stake, nor
		// the whole deposit in USD. The freeze of his order is undone with the failed call.
		let daves = shipped_order_of(DAVE, USDX, 1, 500, 0);
		assert_ok!(Assets::freeze(RuntimeOrigin::signed(ALICE), USD, DAVE));
		assert_noop!(
			Disputes::open_dispute(
				RuntimeOrigin::signed(DAVE),
				daves,
				DisputeKind::Agreement,
				DisputeReason::NotReceived,
				evidence(1)
			),
			Error::<Test>::InsufficientDeposit
		);
		assert_eq!(Orders::frozen(daves), None);
		assert!(matches!(order_status(daves), OrderStatus::Shipped { .. }));
		assert_held(0, 0);

		// ALICE's free USD is the only money she can post: the whole deposit is held in USD
		// at the reference rate (50 ENT = 25 USD, and the 50 USD stake); her locked ENT is
		// untouched.
		let usd = free(USDX, ALICE);
		let id = open(ALICE, order, DisputeKind::Agreement, DisputeReason::NotReceived);
		assert_eq!(deposits(id).0, Deposit { native: 25, stake: 50, held_in: Some(USDX) });
		assert_eq!((free(ENT, ALICE), free(USDX, ALICE)), (free_ent, usd - 75));
		assert_held(0, 75);
	});
}

#[test]
fn a_customer_without_spare_ent_posts_every_dispute_deposit_in_the_orders_currency() {
	build_and_execute(|| {
		// EVE buys for 1_000 USD and keeps 10 ENT to spare, below the 50 ENT flat deposit.
		const EVE: AccountId = 20;
		assert_ok!(<Currencies as Mutate<_>>::mint_into(ENT, &EVE, 1_000));
		assert_ok!(<Currencies as Mutate<_>>::mint_into(USDX, &EVE, 5_000));
		add_arbiters(&[ARB1]);
		let order = shipped_order_of(EVE, USDX, 2, 450, 100);
		let spare = free(ENT, EVE) - ED - 10;
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			ENT,
			&EVE,
			&CHARLIE,
			spare,
			Preservation::Preserve
		));
		let (eve_ent, eve_usd) = (free(ENT, EVE), free(USDX, EVE));
		// 50 ENT are worth 25 USD at the reference rate (1 USD = 2 ENT); the stake is 50 USD.
		let converted = Deposit { native: 25, stake: 50, held_in: Some(USDX) };
		let id = open(EVE, order, DisputeKind::Agreement, DisputeReason::NotReceived);
		assert_eq!(deposits(id).0, converted);
		assert_eq!((free(ENT, EVE), free(USDX, EVE)), (eve_ent, eve_usd - 75));
		assert_eq!(TotalDeposits::<Test>::get(USDX), 75);
		ev(Event::DisputeOpened {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			kind: DisputeKind::Agreement,
			reason: DisputeReason::NotReceived,
			opener: EVE,
			frozen: 1_000,
			deposit: converted.clone(),
			deadline: 6,
		});
		// BOB engages with ENT to spare: his deposit is held as stated.
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		assert_eq!(deposits(id).1, PARTY_DEPOSIT);
		run_to_block(System::block_number() + DRAW_DELAY);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		// EVE appeals: held as her first deposit is, in USD (80 ENT = 40 USD, 50 USD stake),
		// so her deposits add up in one currency.
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(EVE), id));
		let appeal = Deposit { native: 40, stake: 50, held_in: Some(USDX) };
		assert_eq!(Disputes::dispute(id).unwrap().appeal_deposit, Some((Side::Customer, appeal)));
		assert_eq!(free(USDX, EVE), eve_usd - 75 - 90);
		assert_held(50, 50 + 75 + 90);

		// Governance upholds the ruling: EVE's deposits are forfeited in USD. Of the 65 USD
		// flat part the arbiter gets his 20 ENT fee's worth, 10 USD, and the platform 55; BOB
		// gets her 100 USD stake and his own deposit back.
		let (arb, platform, bob_usd, bob_ent) =
			(free(USDX, ARB1), free(USDX, PLATFORM), free(USDX, BOB), free(ENT, BOB));
		let order_deposit = order_deposit(order);
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 300));
		assert_eq!(free(USDX, ARB1), arb + 10);
		assert_eq!(free(USDX, PLATFORM), platform + 55);
		assert_eq!(free(ENT, BOB), bob_ent + 50);
		// BOB: his stake back and EVE's, and the order's 700 minus the 1% fee.
		assert_eq!(free(USDX, BOB), bob_usd + 50 + 100 + 700 - 7);
		assert_eq!(free(USDX, EVE), eve_usd - 75 - 90 + 300);
		// Her order deposit back; nothing in ENT was ever taken for the dispute.
		assert_eq!(free(ENT, EVE), eve_ent + order_deposit);
		assert_held(0, 0);
		assert_eq!(TotalDeposits::<Test>::iter().count(), 0);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: EVE,
			held_in: Some(USDX),
			arbiter: Some(ARB1),
			to_arbiter: 10,
			to_platform: 55,
			winner: BOB,
			to_winner: 100,
		});
	});
}

#[test]
fn a_party_that_can_post_ent_cannot_choose_another_currency_nor_mix_currencies() {
	build_and_execute(|| {
		// ALICE has ENT to spare: her deposit is held as stated, whatever she holds besides.
		let (_, id, _) = in_arbitration(&[ARB1]);
		assert_eq!(deposits(id).0, PARTY_DEPOSIT);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		// Her ENT is then vote-locked: her appeal cannot be held in USD beside ENT deposits
		// (the deposits of one side are held in one form), so she cannot appeal.
		let total =
			<Balances as frame_support::traits::fungible::Inspect<_>>::total_balance(&ALICE);
		<Balances as LockableCurrency<_>>::set_lock(
			*b"vote    ",
			&ALICE,
			total,
			WithdrawReasons::all(),
		);
		assert_noop!(
			Disputes::appeal(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InsufficientDeposit
		);
	});
}

// ---- Evidence -----------------------------------------------------------------------------------

#[test]
fn submit_evidence_by_the_respondent_engages_it_and_holds_its_deposit() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		let bob = (free(ENT, BOB), free(USDX, BOB));
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(2)));
		assert_eq!((free(ENT, BOB), free(USDX, BOB)), (bob.0 - 50, bob.1 - 50));
		assert_held(100, 100);
		let dispute = Disputes::dispute(id).unwrap();
		assert!(dispute.respondent_engaged);
		assert_eq!(dispute.merchant_deposit, PARTY_DEPOSIT);
		assert_eq!(dispute.merchant_evidence.to_vec(), vec![evidence(2)]);
		// Engaged: the negotiation deadline replaces the response deadline.
		assert_eq!(DeadlineAt::<Test>::get(id), Some(11));
		assert_eq!(Deadlines::<Test>::get(11, id), Some(Deadline::new(DeadlineKind::Negotiation)));
		assert_eq!(Deadlines::<Test>::get(6, id), None);
		ev(Event::RespondentEngaged { dispute_id: id, respondent: BOB, deposit: PARTY_DEPOSIT });
		ev(Event::EvidenceSubmitted { dispute_id: id, by: BOB, evidence: evidence(2) });
		// Later evidence holds nothing more; the opener's never engages anything.
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(3)));
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(ALICE), id, evidence(4)));
		assert_held(100, 100);
		assert_eq!(deposits(id), (PARTY_DEPOSIT, PARTY_DEPOSIT));
		assert_eq!(
			Disputes::dispute(id).unwrap().customer_evidence.to_vec(),
			vec![evidence(1), evidence(4)]
		);
	});
}

#[test]
fn submit_evidence_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		assert_noop!(
			Disputes::submit_evidence(RuntimeOrigin::signed(ALICE), id + 1, evidence(2)),
			Error::<Test>::DisputeNotFound
		);
		assert_noop!(
			Disputes::submit_evidence(RuntimeOrigin::signed(CHARLIE), id, evidence(2)),
			Error::<Test>::NotParty
		);
		for n in 2..=MAX_EVIDENCE as u8 {
			assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(ALICE), id, evidence(n)));
		}
		assert_noop!(
			Disputes::submit_evidence(RuntimeOrigin::signed(ALICE), id, evidence(9)),
			Error::<Test>::TooMuchEvidence
		);
		// The respondent's window: past respond_by (its deadline not processed yet), a silent
		// respondent can no longer engage in the negotiation.
		System::set_block_number(6);
		assert_noop!(
			Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(2)),
			Error::<Test>::ResponseWindowClosed
		);
	});
}

#[test]
fn a_respondent_that_cannot_pay_the_deposit_cannot_engage() {
	build_and_execute(|| {
		// BOB has 10_000 ENT, 100 of them held as merchant deposit, and 10_000 USD: neither
		// 30_000 ENT nor their 15_000 USD.
		let mut params = DefaultParams::get();
		params.agreement.deposit = 30_000;
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		let (_, id) = alice_disputes();
		assert_noop!(
			Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(2)),
			Error::<Test>::InsufficientDeposit
		);
		assert_noop!(
			Disputes::propose_settlement(RuntimeOrigin::signed(BOB), id, 100),
			Error::<Test>::InsufficientDeposit
		);
		assert_noop!(
			Disputes::escalate(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::InsufficientDeposit
		);

		// Enough ENT, but no USD for the stake.
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), DefaultParams::get()));
		let order = shipped_order_of(DAVE, USDX, 1, 500, 0);
		let other = open(DAVE, order, DisputeKind::Agreement, DisputeReason::Damaged);
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&BOB,
			&CHARLIE,
			free(USDX, BOB),
			Preservation::Expendable
		));
		assert_noop!(
			Disputes::submit_evidence(RuntimeOrigin::signed(BOB), other, evidence(2)),
			Error::<Test>::InsufficientDeposit
		);
	});
}

// ---- Settlement ---------------------------------------------------------------------------------

#[test]
fn accepted_settlement_pays_out_exactly_and_returns_every_deposit() {
	build_and_execute(|| {
		let (order, id) = alice_disputes();
		let (alice_ent, bob_ent) = (free(ENT, ALICE), free(ENT, BOB));
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(BOB), id, 400));
		assert_eq!(deposits(id), (PARTY_DEPOSIT, PARTY_DEPOSIT));
		assert_eq!(
			Disputes::dispute(id).unwrap().proposal,
			Some(Proposal { by: Side::Merchant, refund: 400 })
		);
		ev(Event::SettlementProposed { dispute_id: id, by: BOB, refund: 400 });
		let (before, order_deposit) = (usd_books(), order_deposit(order));
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(ALICE), id));
		// 400 back to ALICE; 600 to BOB: fee 6, net 594. Both stakes come back.
		assert_paid_out(before, 1_000, 400, (50, 50));
		assert_eq!(free(USDX, BOB) - before.1, 594 + 50);
		assert_held(0, 0);
		// Her deposit and her order deposit back; his deposit back.
		assert_eq!(free(ENT, ALICE), alice_ent + 50 + order_deposit);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_gone(order, id);
		assert!(DisputesOfParty::<Test>::iter().next().is_none());
		ev(Event::DepositReturned { dispute_id: id, who: ALICE, amount: PARTY_DEPOSIT });
		ev(Event::DepositReturned { dispute_id: id, who: BOB, amount: PARTY_DEPOSIT });
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Settlement,
			frozen: 1_000,
			refund: 400,
			merchant_gross: 600,
			compensation: 0,
		});
	});
}

#[test]
fn the_respondent_may_accept_without_a_deposit() {
	build_and_execute(|| {
		let (order, id) = alice_disputes();
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(ALICE), id, 700));
		let before = usd_books();
		let bob_ent = free(ENT, BOB);
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(BOB), id));
		assert_paid_out(before, 1_000, 700, (50, 0));
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_held(0, 0);
		assert_gone(order, id);
	});
}

#[test]
fn a_new_proposal_replaces_the_previous_one() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(ALICE), id, 900));
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(BOB), id, 500));
		assert_noop!(
			Disputes::accept_settlement(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::OwnProposal
		);
		let before = usd_books();
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(ALICE), id));
		assert_paid_out(before, 1_000, 500, (50, 50));
	});
}

#[test]
fn propose_settlement_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		let o = |who| RuntimeOrigin::signed(who);
		assert_noop!(
			Disputes::propose_settlement(o(ALICE), id + 1, 1),
			Error::<Test>::DisputeNotFound
		);
		assert_noop!(Disputes::propose_settlement(o(CHARLIE), id, 1), Error::<Test>::NotParty);
		assert_noop!(
			Disputes::propose_settlement(o(BOB), id, 1_001),
			Error::<Test>::RefundExceedsFrozen
		);
		System::set_block_number(6);
		assert_noop!(
			Disputes::propose_settlement(o(BOB), id, 10),
			Error::<Test>::ResponseWindowClosed
		);
		// The opener may still propose.
		assert_ok!(Disputes::propose_settlement(o(ALICE), id, 10));
	});
}

#[test]
fn settlements_are_not_negotiable_after_a_ruling_nor_on_platform_disputes() {
	build_and_execute(|| {
		let (_, id, arbiter) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(ALICE), id, 800));
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(arbiter), id, 300));
		assert_eq!(Disputes::dispute(id).unwrap().proposal, None);
		assert_noop!(
			Disputes::propose_settlement(RuntimeOrigin::signed(ALICE), id, 800),
			Error::<Test>::NotNegotiable
		);
		assert_noop!(
			Disputes::accept_settlement(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotNegotiable
		);

		let platform = open(ALICE, settled_order(), DisputeKind::Platform, DisputeReason::WrongFee);
		assert_noop!(
			Disputes::propose_settlement(RuntimeOrigin::signed(ALICE), platform, 0),
			Error::<Test>::NotNegotiable
		);
	});
}

#[test]
fn accept_settlement_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		let o = |who| RuntimeOrigin::signed(who);
		assert_noop!(Disputes::accept_settlement(o(BOB), id + 1), Error::<Test>::DisputeNotFound);
		assert_noop!(Disputes::accept_settlement(o(BOB), id), Error::<Test>::NoProposal);
		assert_ok!(Disputes::propose_settlement(o(ALICE), id, 600));
		assert_noop!(Disputes::accept_settlement(o(CHARLIE), id), Error::<Test>::NotParty);
		assert_noop!(Disputes::accept_settlement(o(ALICE), id), Error::<Test>::OwnProposal);
		// A silent respondent cannot accept once its window closed: the dispute goes to
		// arbitration.
		System::set_block_number(6);
		assert_noop!(Disputes::accept_settlement(o(BOB), id), Error::<Test>::ResponseWindowClosed);
	});
}

#[test]
fn a_settlement_in_arbitration_ends_the_arbiters_case() {
	build_and_execute(|| {
		let (order, id, arbiter) = in_arbitration(&[ARB1]);
		assert!(ArbiterCases::<Test>::contains_key(arbiter, id));
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(BOB), id, 250));
		let (before, arb_ent) = (usd_books(), free(ENT, ARB1));
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(ALICE), id));
		assert_paid_out(before, 1_000, 250, (50, 50));
		assert!(!ArbiterCases::<Test>::contains_key(arbiter, id));
		assert_eq!(Disputes::arbiter_cases(ARB1), vec![]);
		assert_eq!(free(ENT, ARB1), arb_ent);
		assert_held(0, 0);
		assert_gone(order, id);
	});
}

// ---- Silence and negotiation deadlines ----------------------------------------------------------

#[test]
fn a_silent_respondent_loses_nothing_the_dispute_goes_to_arbitration() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		// ALICE disputes against BOB; BOB disputes DAVE's refund request. Neither respondent
		// says a word.
		let (order, id) = alice_disputes();
		let daves = shipped_order_of(DAVE, USDX, 1, 400, 0);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(DAVE),
			daves,
			400,
			false,
			RefundReason::NotReceived
		));
		let daves_id = open(BOB, daves, DisputeKind::Agreement, DisputeReason::ReturnNotReceived);
		let before = (usd_books(), free(USDX, DAVE), free(ENT, BOB), free(ENT, DAVE));
		run_to_block(5);
		assert!(matches!(stage(id), Stage::Negotiating { .. }));
		run_to_block(6);
		// Opening a dispute wins nothing by itself: nobody is paid, nothing is taken from the
		// silent side, the money stays frozen and an arbiter is drawn.
		assert_eq!((usd_books(), free(USDX, DAVE), free(ENT, BOB), free(ENT, DAVE)), before);
		assert_eq!((Orders::frozen(order), Orders::frozen(daves)), (Some(1_000), Some(400)));
		for (dispute, respondent) in [(id, Side::Merchant), (daves_id, Side::Customer)] {
			assert_eq!(stage(dispute), Stage::AwaitingArbiter { draw_at: 6 + DRAW_DELAY });
			ev(Event::Escalated { dispute_id: dispute, by: None, draw_at: 9 });
			let d = Disputes::dispute(dispute).unwrap();
			assert!(!d.respondent_engaged);
			assert!(d.deposits_of(respondent).is_zero());
			assert!(!resolved(dispute));
		}
		assert_held(100, 70);
		run_to_block(9);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 19 });
		assert_eq!(stage(daves_id), Stage::Arbitration { arbiter: ARB1, rule_by: 19 });
		// The silent merchant can still win: the arbiter decides on the merits.
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0));
		let before = usd_books();
		run_to_block(14);
		assert_paid_out(before, 1_000, 0, (0, 50));
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Ruling,
			frozen: 1_000,
			refund: 0,
			merchant_gross: 1_000,
			compensation: 0,
		});
	});
}

#[test]
fn an_engaged_negotiation_is_escalated_when_its_window_closes() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(2)));
		run_to_block(10);
		assert!(matches!(stage(id), Stage::Negotiating { .. }));
		run_to_block(11);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 14 });
		ev(Event::Escalated { dispute_id: id, by: None, draw_at: 14 });
		run_to_block(13);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 14 });
		run_to_block(14);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 24 });
	});
}

#[test]
fn after_sales_silence_is_escalated_with_the_after_sales_window() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		let order = settled_order();
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::MissingParts);
		let before = usd_books();
		run_to_block(4);
		assert!(matches!(stage(id), Stage::Negotiating { .. }));
		run_to_block(5);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 8 });
		// Nothing paid: the holdback stays frozen.
		assert_eq!(usd_books(), before);
		assert_eq!(Orders::frozen(order), Some(100));
		run_to_block(8);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 14 });
	});
}

// ---- Escalation and the draw --------------------------------------------------------------------

#[test]
fn escalate_draws_an_arbiter_draw_delay_blocks_later() {
	build_and_execute(|| {
		add_arbiters(&[ARB1, ARB2, ARB3]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		assert_eq!(deposits(id), (PARTY_DEPOSIT, PARTY_DEPOSIT));
		assert_held(100, 100);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 1 + DRAW_DELAY });
		assert_eq!(Deadlines::<Test>::get(4, id), Some(Deadline::new(DeadlineKind::Draw)));
		assert_eq!(Deadlines::<Test>::iter().count(), 1);
		ev(Event::Escalated { dispute_id: id, by: Some(BOB), draw_at: 4 });
		run_to_block(4);
		let Stage::Arbitration { arbiter, rule_by } = stage(id) else { panic!("no arbiter") };
		assert!([ARB1, ARB2, ARB3].contains(&arbiter));
		assert_eq!(rule_by, 14);
		assert!(ArbiterCases::<Test>::contains_key(arbiter, id));
		assert_eq!(Disputes::arbiter_cases(arbiter).len(), 1);
		ev(Event::ArbiterAssigned { dispute_id: id, arbiter, rule_by });
	});
}

/// The draw's formula, recomputed: `blake2_256` of the hashes of the `DRAW_DELAY` blocks before
/// this one (newest first) and the dispute id, as a little-endian `u64`, modulo `count`.
fn expected_draw(id: DisputeId, count: usize) -> usize {
	let now = System::block_number();
	let hashes: Vec<H256> = (1..=DRAW_DELAY).map(|back| System::block_hash(now - back)).collect();
	let seed = sp_io::hashing::blake2_256(&(hashes, id).encode());
	(u64::from_le_bytes(seed[..8].try_into().unwrap()) % count as u64) as usize
}

#[test]
fn the_draw_follows_the_block_hashes_and_skips_parties_and_missed_arbiters() {
	build_and_execute(|| {
		// The parties are arbiters too: they are never drawn for their own dispute.
		add_arbiters(&[ALICE, ARB1, BOB, ARB2]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(4);
		let eligible = [ARB1, ARB2];
		let first = eligible[expected_draw(id, 2)];
		assert_eq!(stage(id), Stage::Arbitration { arbiter: first, rule_by: 14 });
		// The first misses: the other one is the only one left.
		run_to_block(14);
		let second = if first == ARB1 { ARB2 } else { ARB1 };
		assert_eq!(stage(id), Stage::Arbitration { arbiter: second, rule_by: 24 });
		assert_eq!(Disputes::dispute(id).unwrap().missed.to_vec(), vec![first]);
	});
}

/// Opens eight disputes at block 1 and escalates them, gives block `altered` (if any) another
/// hash, and returns who was drawn for each at 1 + DRAW_DELAY. Checks that nothing is drawn
/// before.
fn draws_with(altered: Option<u64>) -> Vec<AccountId> {
	let mut drawn = Vec::new();
	new_test_ext().execute_with(|| {
		add_arbiters(&[ARB1, ARB2, ARB3, CHARLIE]);
		let ids: Vec<DisputeId> = (0..8)
			.map(|_| {
				let order = shipped_order_of(DAVE, USDX, 1, 100, 0);
				let id = open(DAVE, order, DisputeKind::Agreement, DisputeReason::Damaged);
				assert_ok!(Disputes::escalate(RuntimeOrigin::signed(DAVE), id));
				id
			})
			.collect();
		let other = H256::repeat_byte(0xAB);
		if altered == Some(0) {
			// The genesis block's hash, set before block 1.
			frame_system::BlockHash::<Test>::insert(0, other);
		}
		for block in 2..=1 + DRAW_DELAY {
			run_to_block_with_hashes(block, |b| (Some(b) == altered).then_some(other));
			let expected = if block < 1 + DRAW_DELAY { ids.len() } else { 0 };
			let waiting = ids
				.iter()
				.filter(|id| stage(**id) == Stage::AwaitingArbiter { draw_at: 1 + DRAW_DELAY })
				.count();
			assert_eq!(waiting, expected, "block {block}");
		}
		if let Some(block) = altered {
			assert_eq!(System::block_hash(block), other);
		}
		for id in &ids {
			let Stage::Arbitration { arbiter, .. } = stage(*id) else { panic!("not drawn") };
			drawn.push(arbiter);
		}
		check_invariants();
	});
	drawn
}

#[test]
fn the_arbiter_draw_waits_for_draw_delay_blocks_and_mixes_their_hashes() {
	let baseline = draws_with(None);
	// Every block of the window counts, the oldest (1) and a middle one (2) as much as the
	// last (3): no single block's author chooses the arbiters.
	for block in 1..=DRAW_DELAY {
		assert_ne!(draws_with(Some(block)), baseline, "block {block}'s hash left the draws alone");
	}
	// A block before the window does not count.
	assert_eq!(draws_with(Some(0)), baseline);
}

#[test]
fn escalation_without_an_eligible_arbiter_goes_to_governance() {
	build_and_execute(|| {
		add_arbiters(&[BOB]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(deposits(id).1, Deposit::default(), "the opener's escalation engages nobody");
		assert_held(50, 50);
		run_to_block(3);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 4 });
		run_to_block(4);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 24 });
		ev(Event::SentToGovernance { dispute_id: id, decide_by: 24 });
	});
}

#[test]
fn escalate_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		let o = |who| RuntimeOrigin::signed(who);
		assert_noop!(Disputes::escalate(o(ALICE), id + 1), Error::<Test>::DisputeNotFound);
		assert_noop!(Disputes::escalate(o(CHARLIE), id), Error::<Test>::NotParty);
		System::set_block_number(6);
		assert_noop!(Disputes::escalate(o(BOB), id), Error::<Test>::ResponseWindowClosed);
		System::set_block_number(1);
		assert_ok!(Disputes::escalate(o(ALICE), id));
		assert_noop!(Disputes::escalate(o(BOB), id), Error::<Test>::NotNegotiating);
		let platform = open(ALICE, settled_order(), DisputeKind::Platform, DisputeReason::WrongFee);
		assert_noop!(Disputes::escalate(o(ALICE), platform), Error::<Test>::NotNegotiating);
	});
}

// ---- Ruling and arbiter deadlines ---------------------------------------------------------------

#[test]
fn rule_by_the_assigned_arbiter_opens_the_appeal_window() {
	build_and_execute(|| {
		let (_, id, arbiter) = in_arbitration(&[ARB1]);
		assert_eq!(arbiter, ARB1);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		assert_eq!(stage(id), Stage::Ruled { arbiter: ARB1, refund: 300, appeal_by: 9 });
		assert!(!ArbiterCases::<Test>::contains_key(ARB1, id));
		assert_eq!(Deadlines::<Test>::get(9, id), Some(Deadline::new(DeadlineKind::Appeal)));
		assert_eq!(Deadlines::<Test>::iter().count(), 1);
		ev(Event::Ruled { dispute_id: id, arbiter: ARB1, refund: 300, appeal_by: 9 });
	});
}

#[test]
fn rule_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, negotiating) = alice_disputes();
		assert_noop!(
			Disputes::rule(RuntimeOrigin::signed(ARB1), negotiating, 0),
			Error::<Test>::NotInArbitration
		);
		add_arbiters(&[ARB1]);
		let order = shipped_order_of(DAVE, USDX, 1, 1_000, 0);
		let id = open(DAVE, order, DisputeKind::Agreement, DisputeReason::Damaged);
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(DAVE), id));
		run_to_block(4);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 14 });
		add_arbiters(&[ARB2]);
		assert_noop!(
			Disputes::rule(RuntimeOrigin::signed(ARB1), id + 1, 0),
			Error::<Test>::DisputeNotFound
		);
		assert_noop!(
			Disputes::rule(RuntimeOrigin::signed(ARB2), id, 0),
			Error::<Test>::NotAssignedArbiter
		);
		assert_noop!(
			Disputes::rule(RuntimeOrigin::signed(ARB1), id, 1_001),
			Error::<Test>::RefundExceedsFrozen
		);
		System::set_block_number(14);
		assert_noop!(
			Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0),
			Error::<Test>::RulingWindowClosed
		);
		System::set_block_number(4);
		assert_ok!(Disputes::remove_arbiter(RuntimeOrigin::root(), ARB1));
		assert_noop!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0), Error::<Test>::NotArbiter);
	});
}

#[test]
fn a_missed_ruling_is_recorded_and_another_arbiter_drawn_until_governance_takes_over() {
	build_and_execute(|| {
		let (_, id, first) = in_arbitration(&[ARB1, ARB2, ARB3]);
		run_to_block(13);
		assert_eq!(ArbiterMisses::<Test>::get(first), None);
		run_to_block(14);
		assert_eq!(ArbiterMisses::<Test>::get(first), Some(1));
		ev(Event::ArbiterMissedDeadline { dispute_id: id, arbiter: first, misses: 1 });
		let Stage::Arbitration { arbiter: second, rule_by } = stage(id) else { panic!() };
		assert_ne!(second, first);
		assert_eq!(rule_by, 24);
		assert!(!ArbiterCases::<Test>::contains_key(first, id));
		assert!(ArbiterCases::<Test>::contains_key(second, id));
		// MAX_REASSIGNMENTS (2) misses: governance decides.
		run_to_block(24);
		assert_eq!(ArbiterMisses::<Test>::get(second), Some(1));
		assert_eq!(Disputes::dispute(id).unwrap().missed.to_vec(), vec![first, second]);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 44 });
		assert_eq!(ArbiterCases::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_removed_arbiters_case_is_redrawn_at_its_deadline_without_a_miss() {
	build_and_execute(|| {
		let (_, id, arbiter) = in_arbitration(&[ARB1]);
		add_arbiters(&[ARB2]);
		assert_ok!(Disputes::remove_arbiter(RuntimeOrigin::root(), arbiter));
		// Still listed as its case until the deadline.
		assert_eq!(Disputes::arbiter_cases(ARB1).len(), 1);
		run_to_block(14);
		ev(Event::ArbiterWithdrawn { dispute_id: id, arbiter: ARB1 });
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB2, rule_by: 24 });
		assert_eq!(ArbiterMisses::<Test>::get(ARB1), None);
		assert!(Disputes::dispute(id).unwrap().missed.is_empty());
	});
}

#[test]
fn an_unappealed_ruling_for_the_merchant_is_executed_and_the_customer_pays_the_arbiter() {
	build_and_execute(|| {
		let (order, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		let (before, order_deposit) = (usd_books(), order_deposit(order));
		let (alice_ent, bob_ent, arb, platform) =
			(free(ENT, ALICE), free(ENT, BOB), free(ENT, ARB1), free(ENT, PLATFORM));
		run_to_block(8);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(9);
		// 2 × 300 < 1_000: the ruling favours BOB. ALICE's 50 ENT pay ARB1 20 and the
		// platform 30, her 50 USD go to BOB, who gets his own deposit back.
		assert_paid_out(before, 1_000, 300, (0, 50 + 50));
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, PLATFORM), platform + 50 - ARBITER_FEE);
		assert_eq!(free(ENT, BOB), bob_ent + 50);
		assert_eq!(
			free(ENT, ALICE),
			alice_ent + order_deposit,
			"only the order deposit comes back"
		);
		assert_held(0, 0);
		assert_gone(order, id);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: ALICE,
			held_in: None,
			arbiter: Some(ARB1),
			to_arbiter: ARBITER_FEE,
			to_platform: 50 - ARBITER_FEE,
			winner: BOB,
			to_winner: 50,
		});
		ev(Event::DepositReturned { dispute_id: id, who: BOB, amount: PARTY_DEPOSIT });
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Ruling,
			frozen: 1_000,
			refund: 300,
			merchant_gross: 700,
			compensation: 0,
		});
	});
}

#[test]
fn a_half_refund_ruling_favours_the_customer_and_the_merchant_pays_the_arbiter() {
	build_and_execute(|| {
		let (order, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 500));
		let (before, order_deposit) = (usd_books(), order_deposit(order));
		let (alice_ent, bob_ent, arb) = (free(ENT, ALICE), free(ENT, BOB), free(ENT, ARB1));
		run_to_block(9);
		assert_paid_out(before, 1_000, 500, (50 + 50, 0));
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_eq!(free(ENT, ALICE), alice_ent + 50 + order_deposit);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: BOB,
			held_in: None,
			arbiter: Some(ARB1),
			to_arbiter: ARBITER_FEE,
			to_platform: 50 - ARBITER_FEE,
			winner: ALICE,
			to_winner: 50,
		});
	});
}

#[test]
fn a_forfeited_deposit_pays_arbiter_platform_and_winner_to_the_unit() {
	build_and_execute(|| {
		let mut params = DefaultParams::get();
		params.arbiter_fee = 33;
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		add_arbiters(&[ARB1]);
		// DAVE's 1_013 USD order: every stake is 5% of 1_013 = 50.65, rounded up to 51.
		let order = shipped_order_of(DAVE, USDX, 1, 1_013, 0);
		let id = open(DAVE, order, DisputeKind::Agreement, DisputeReason::Damaged);
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		run_to_block(4);
		// 2 × 600 ≥ 1_013: for DAVE. BOB appeals; governance lets the ruling stand.
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 600));
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(BOB), id));
		let d = Disputes::dispute(id).unwrap();
		assert_eq!(d.deposits_of(Side::Customer), Deposit::stated(50, 51));
		assert_eq!(d.deposits_of(Side::Merchant), Deposit::stated(130, 102));
		assert_held(180, 153);
		let ent = |who| free(ENT, who);
		let usd = |who| free(USDX, who);
		let before_ent = (ent(BOB), ent(ARB1), ent(PLATFORM), ent(DAVE));
		let before_usd = (usd(BOB), usd(DAVE), usd(FEE));
		let daves_deposit = order_deposit(order);
		run_to_block(24);
		// BOB's 130 ENT: 33 to ARB1 and 97 to the platform; his 102 USD to DAVE. DAVE's own
		// deposit comes back. The order pays DAVE 600 and BOB 413 minus a fee of 4.
		assert_eq!(
			(ent(BOB), ent(ARB1), ent(PLATFORM), ent(DAVE)),
			(before_ent.0, before_ent.1 + 33, before_ent.2 + 97, before_ent.3 + 50 + daves_deposit)
		);
		assert_eq!(
			(usd(BOB), usd(DAVE), usd(FEE)),
			(before_usd.0 + 409, before_usd.1 + 600 + 51 + 102, before_usd.2 + 4)
		);
		assert_held(0, 0);
		assert_eq!(TotalDeposits::<Test>::iter().count(), 0);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: BOB,
			held_in: None,
			arbiter: Some(ARB1),
			to_arbiter: 33,
			to_platform: 97,
			winner: DAVE,
			to_winner: 102,
		});
		ev(Event::DepositReturned { dispute_id: id, who: DAVE, amount: Deposit::stated(50, 51) });

		// An arbiter that cannot receive its fee (an empty account, a fee below ENT's
		// existential deposit): the platform receives it.
		let (poor, fee) = (77, 5);
		assert!(fee < ED && free(ENT, poor) == 0);
		assert_ok!(Disputes::remove_arbiter(RuntimeOrigin::root(), ARB1));
		add_arbiters(&[poor]);
		params.arbiter_fee = fee;
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		run_to_block(27);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(poor), id, 0));
		let (platform, bob) = (ent(PLATFORM), usd(BOB));
		run_to_block(32);
		assert_eq!(ent(PLATFORM), platform + 50);
		assert_eq!(free(ENT, poor), 0);
		assert_eq!(usd(BOB), bob + 990 + 50 + 50);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: ALICE,
			held_in: None,
			arbiter: Some(poor),
			to_arbiter: 0,
			to_platform: 50,
			winner: BOB,
			to_winner: 50,
		});
		assert_held(0, 0);
	});
}

// ---- Appeals ------------------------------------------------------------------------------------

#[test]
fn appeal_by_the_side_the_ruling_does_not_favour_holds_the_appeal_deposit() {
	build_and_execute(|| {
		let (_, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		let alice = (free(ENT, ALICE), free(USDX, ALICE));
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(ALICE), id));
		assert_eq!((free(ENT, ALICE), free(USDX, ALICE)), (alice.0 - 80, alice.1 - 50));
		assert_eq!(
			Disputes::dispute(id).unwrap().deposits_of(Side::Customer),
			PARTY_DEPOSIT.saturating_add(APPEAL_DEPOSIT)
		);
		assert_held(50 + 50 + 80, 50 + 50 + 50);
		assert_eq!(
			stage(id),
			Stage::Appealed {
				arbiter: ARB1,
				refund: 300,
				appellant: Side::Customer,
				decide_by: 24
			}
		);
		assert_eq!(Deadlines::<Test>::get(24, id), Some(Deadline::new(DeadlineKind::Decision)));
		ev(Event::Appealed {
			dispute_id: id,
			appellant: ALICE,
			deposit: APPEAL_DEPOSIT,
			decide_by: 24,
		});
	});
}

#[test]
fn appeal_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, id, _) = in_arbitration(&[ARB1]);
		let o = |who| RuntimeOrigin::signed(who);
		assert_noop!(Disputes::appeal(o(ALICE), id), Error::<Test>::NotRuled);
		assert_ok!(Disputes::rule(o(ARB1), id, 300));
		assert_noop!(Disputes::appeal(o(ALICE), id + 1), Error::<Test>::DisputeNotFound);
		assert_noop!(Disputes::appeal(o(CHARLIE), id), Error::<Test>::NotParty);
		assert_noop!(Disputes::appeal(o(BOB), id), Error::<Test>::RulingFavoursCaller);
		System::set_block_number(9);
		assert_noop!(Disputes::appeal(o(ALICE), id), Error::<Test>::AppealWindowClosed);
		System::set_block_number(4);
		assert_ok!(Disputes::appeal(o(ALICE), id));
		assert_noop!(Disputes::appeal(o(ALICE), id), Error::<Test>::NotRuled);
	});
}

#[test]
fn an_appellant_that_cannot_pay_the_appeal_deposit_cannot_appeal() {
	build_and_execute(|| {
		let mut params = DefaultParams::get();
		params.agreement.appeal_deposit = 9_900;
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		let (_, id, _) = in_arbitration(&[ARB1]);
		// 2 × 600 ≥ 1_000: the ruling favours ALICE; BOB (9_850 ENT free) cannot pay 9_900.
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 600));
		assert_noop!(
			Disputes::appeal(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::InsufficientDeposit
		);
	});
}

#[test]
fn governance_overturning_a_ruling_returns_the_appellants_deposits() {
	build_and_execute(|| {
		let (order, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(ALICE), id));
		let (before, order_deposit) = (usd_books(), order_deposit(order));
		let (alice_ent, bob_ent, arb, platform) =
			(free(ENT, ALICE), free(ENT, BOB), free(ENT, ARB1), free(ENT, PLATFORM));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 800));
		// 800 back: the decision favours ALICE. Her 50 + 80 ENT and 50 + 50 USD come back, and
		// BOB's 50 USD; BOB's 50 ENT pay the arbiter who ruled 20 and the platform 30.
		assert_paid_out(before, 1_000, 800, (100 + 50, 0));
		assert_eq!(free(ENT, ALICE), alice_ent + 50 + 80 + order_deposit);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, PLATFORM), platform + 50 - ARBITER_FEE);
		assert_held(0, 0);
		assert_gone(order, id);
		ev(Event::DepositReturned {
			dispute_id: id,
			who: ALICE,
			amount: PARTY_DEPOSIT.saturating_add(APPEAL_DEPOSIT),
		});
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Appeal,
			frozen: 1_000,
			refund: 800,
			merchant_gross: 200,
			compensation: 0,
		});
	});
}

#[test]
fn an_appeal_governance_does_not_decide_in_time_lets_the_ruling_stand() {
	build_and_execute(|| {
		let (order, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(ALICE), id));
		let before = usd_books();
		let (arb, platform) = (free(ENT, ARB1), free(ENT, PLATFORM));
		run_to_block(23);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(24);
		// The ruling stands: ALICE's 50 + 80 ENT pay the arbiter 20 and the platform 110, her
		// 100 USD go to BOB with his own 50.
		assert_paid_out(before, 1_000, 300, (0, 100 + 50));
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, PLATFORM), platform + 50 + 80 - ARBITER_FEE);
		assert_held(0, 0);
		assert_gone(order, id);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: ALICE,
			held_in: None,
			arbiter: Some(ARB1),
			to_arbiter: ARBITER_FEE,
			to_platform: 50 + 80 - ARBITER_FEE,
			winner: BOB,
			to_winner: 100,
		});
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::RulingStands,
			frozen: 1_000,
			refund: 300,
			merchant_gross: 700,
			compensation: 0,
		});
	});
}

// ---- Governance ---------------------------------------------------------------------------------

/// ALICE's dispute, escalated by BOB with no arbiter: at governance from block 4 to 24.
fn at_governance() -> (OrderId, DisputeId) {
	let (order, id) = alice_disputes();
	assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
	run_to_block(4);
	assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 24 });
	(order, id)
}

#[test]
fn governance_decides_a_dispute_no_arbiter_took() {
	build_and_execute(|| {
		let (order, id) = at_governance();
		let before = usd_books();
		let (bob_ent, platform) = (free(ENT, BOB), free(ENT, PLATFORM));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 1_000));
		// No arbiter ruled: BOB's 50 ENT go to the platform, his 50 USD to ALICE.
		assert_paid_out(before, 1_000, 1_000, (50 + 50, 0));
		assert_eq!(free(ENT, PLATFORM), platform + 50);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_held(0, 0);
		assert_gone(order, id);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: BOB,
			held_in: None,
			arbiter: None,
			to_arbiter: 0,
			to_platform: 50,
			winner: ALICE,
			to_winner: 50,
		});
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Governance,
			frozen: 1_000,
			refund: 1_000,
			merchant_gross: 0,
			compensation: 0,
		});
	});
}

#[test]
fn an_undecided_dispute_returns_the_order_to_its_own_rules() {
	build_and_execute(|| {
		// No eligible arbiter: governance was to decide by 24.
		let (order, id) = at_governance();
		let before = usd_books();
		let (alice_ent, bob_ent) = (free(ENT, ALICE), free(ENT, BOB));
		run_to_block(23);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 24 });
		run_to_block(24);
		// Nobody wins by the dispute having been opened: nothing paid out, every deposit
		// back, the order shipped again with a fresh auto-confirm window (24 + 20).
		assert_eq!(usd_books(), (before.0 + 50, before.1 + 50, before.2));
		assert_eq!((free(ENT, ALICE), free(ENT, BOB)), (alice_ent + 50, bob_ent + 50));
		assert_held(0, 0);
		assert!(Disputes::dispute(id).is_none());
		assert_eq!(Disputes::dispute_of_order(order), None);
		assert_eq!(DeadlineAt::<Test>::get(id), None);
		assert_eq!(Orders::frozen(order), None);
		assert_eq!(order_status(order), OrderStatus::Shipped { confirm_by: 44 });
		assert_eq!(Orders::order(order).unwrap().locked, 1_000);
		ev(Event::DepositReturned { dispute_id: id, who: ALICE, amount: PARTY_DEPOSIT });
		ev(Event::DepositReturned { dispute_id: id, who: BOB, amount: PARTY_DEPOSIT });
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Undecided,
			frozen: 1_000,
			refund: 0,
			merchant_gross: 0,
			compensation: 0,
		});
		System::assert_has_event(RuntimeEvent::Orders(pallet_orders::Event::OrderUnfrozen {
			order_id: order,
		}));
		// The order follows its own rules: receipt is confirmed by the clock at 44, BOB is
		// paid 900 gross (891 net), the holdback stays locked.
		let bob = free(USDX, BOB);
		run_to_block(43);
		assert_eq!(order_status(order), OrderStatus::Shipped { confirm_by: 44 });
		run_to_block(44);
		assert_eq!(order_status(order), OrderStatus::Settled);
		assert_eq!(free(USDX, BOB), bob + 891);
		System::assert_has_event(RuntimeEvent::Orders(pallet_orders::Event::ReceiptConfirmed {
			order_id: order,
			auto: true,
		}));
	});
}

#[test]
fn decide_fails_when_not_allowed() {
	build_and_execute(|| {
		let (_, id) = at_governance();
		assert_noop!(
			Disputes::decide(RuntimeOrigin::signed(ALICE), id, 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id + 1, 0),
			Error::<Test>::DisputeNotFound
		);
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 1_001),
			Error::<Test>::RefundExceedsFrozen
		);
		System::set_block_number(24);
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 0),
			Error::<Test>::DecisionWindowClosed
		);
		let other = open(
			DAVE,
			shipped_order_of(DAVE, USDX, 1, 500, 0),
			DisputeKind::Agreement,
			DisputeReason::Damaged,
		);
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), other, 0),
			Error::<Test>::NotAwaitingDecision
		);
	});
}

// ---- Platform disputes --------------------------------------------------------------------------

/// BOB's platform dispute about ALICE's settled order (9 USD of fees were taken on it: the
/// most governance may compensate); the fee account holds 500 USD more to spare.
fn platform_dispute() -> (OrderId, DisputeId) {
	let order = settled_order();
	assert_eq!(Orders::platform_fees(order), Some(9));
	assert_ok!(<Currencies as Mutate<_>>::transfer(USDX, &DAVE, &FEE, 500, Preservation::Preserve));
	let id = open(BOB, order, DisputeKind::Platform, DisputeReason::WrongFee);
	(order, id)
}

#[test]
fn a_platform_compensation_is_paid_from_the_fee_account_and_the_deposit_returned() {
	build_and_execute(|| {
		let (order, id) = platform_dispute();
		let (bob, fee, bob_ent) = (free(USDX, BOB), free(USDX, FEE), free(ENT, BOB));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 5));
		assert_eq!(free(USDX, BOB), bob + 5);
		assert_eq!(free(USDX, FEE), fee - 5);
		assert_eq!(free(ENT, BOB), bob_ent + PLATFORM_KIND.deposit);
		assert_held(0, 0);
		assert!(Disputes::dispute(id).is_none());
		// The order was never frozen and goes on.
		assert!(Orders::order(order).is_some());
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::Compensated {
			order_id: order,
			reference: legacy_reference(order),
			who: BOB,
			currency: USDX,
			amount: 5,
		}));
		ev(Event::DepositReturned {
			dispute_id: id,
			who: BOB,
			amount: Deposit::stated(PLATFORM_KIND.deposit, 0),
		});
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Compensation,
			frozen: 0,
			refund: 0,
			merchant_gross: 0,
			compensation: 5,
		});
	});
}

#[test]
fn a_platform_compensation_of_zero_forfeits_the_deposit() {
	build_and_execute(|| {
		let (_, id) = platform_dispute();
		let (bob_ent, platform) = (free(ENT, BOB), free(ENT, PLATFORM));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 0));
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_eq!(free(ENT, PLATFORM), platform + PLATFORM_KIND.deposit);
		assert_held(0, 0);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: BOB,
			held_in: None,
			arbiter: None,
			to_arbiter: 0,
			to_platform: PLATFORM_KIND.deposit,
			winner: ALICE,
			to_winner: 0,
		});
	});
}

#[test]
fn an_undecided_platform_dispute_returns_the_deposit_without_compensation() {
	build_and_execute(|| {
		let (order, id) = platform_dispute();
		let (bob, bob_ent) = (free(USDX, BOB), free(ENT, BOB));
		run_to_block(15);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(16);
		assert!(Disputes::dispute(id).is_none());
		assert_eq!(free(USDX, BOB), bob);
		assert_eq!(free(ENT, BOB), bob_ent + PLATFORM_KIND.deposit);
		assert_held(0, 0);
		// The order was never frozen: it stays settled.
		assert_eq!(order_status(order), OrderStatus::Settled);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::NoDecision,
			frozen: 0,
			refund: 0,
			merchant_gross: 0,
			compensation: 0,
		});
	});
}

#[test]
fn a_compensation_the_fee_account_cannot_pay_fails() {
	build_and_execute(|| {
		let (_, id) = platform_dispute();
		// The fee account spent everything but its minimum balance.
		let spendable = free(USDX, FEE) - 10;
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&FEE,
			&DAVE,
			spendable,
			Preservation::Preserve
		));
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 9),
			pallet_escrow::Error::<Test>::FeeAccountShort
		);
	});
}

#[test]
fn a_platform_compensation_above_the_orders_fees_is_refused() {
	build_and_execute(|| {
		// Opened while the cap is 50% of the 9 USD of fees: at most 4 (rounded down), whatever
		// the parameters become before the decision (a dispute keeps its terms).
		let mut params = DefaultParams::get();
		params.max_compensation = Permill::from_percent(50);
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		let (_, half) = platform_dispute();
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), DefaultParams::get()));
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), half, 5),
			Error::<Test>::CompensationAboveCap
		);
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), half, 4));
		// Opened at 100%: at most the 9 USD taken; a larger sum is a treasury spend.
		let order = settled_order();
		let id = open(BOB, order, DisputeKind::Platform, DisputeReason::WrongFee);
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 10),
			Error::<Test>::CompensationAboveCap
		);
		let (bob, fee) = (free(USDX, BOB), free(USDX, FEE));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 9));
		assert_eq!((free(USDX, BOB), free(USDX, FEE)), (bob + 9, fee - 9));
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Compensation,
			frozen: 0,
			refund: 0,
			merchant_gross: 0,
			compensation: 9,
		});
		// No fee was taken yet on a shipped order: nothing to compensate.
		let shipped = shipped_order_of(DAVE, USDX, 1, 500, 0);
		assert_eq!(Orders::platform_fees(shipped), Some(0));
		let other = open(DAVE, shipped, DisputeKind::Platform, DisputeReason::WrongFee);
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), other, 1),
			Error::<Test>::CompensationAboveCap
		);
	});
}

#[test]
fn a_compensation_stays_possible_after_the_order_is_archived() {
	build_and_execute(|| {
		// Governance has longer than the after-sales window to decide.
		let mut params = DefaultParams::get();
		params.platform.decide_within = 100;
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		let (order, id) = platform_dispute();
		// The after-sales window closes: the order is archived, its fees no longer readable
		// from the orders pallet; the dispute kept them.
		let until = Orders::order(order).expect("open").after_sales_until.expect("settled");
		run_to_block(until);
		assert!(Orders::order(order).is_none());
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 10),
			Error::<Test>::CompensationAboveCap
		);
		let bob = free(USDX, BOB);
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 9));
		assert_eq!(free(USDX, BOB), bob + 9);
	});
}

#[test]
fn a_platform_dispute_outlives_its_order() {
	build_and_execute(|| {
		register(BOB);
		let order = pallet_orders::NextOrderId::<Test>::get();
		assert_ok!(Orders::place_order(
			RuntimeOrigin::signed(ALICE),
			BOB,
			USDX,
			items(1, 300),
			0,
			H256::zero(),
			None,
			pallet_orders::PaymentMode::Escrow,
			H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
		));
		let id = open(ALICE, order, DisputeKind::Platform, DisputeReason::WrongAutomaticRefund);
		// The customer cancels: the order is archived, the platform dispute goes on.
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), order));
		assert!(Orders::order(order).is_none());
		assert_eq!(Disputes::dispute_of_order(order).map(|(i, _)| i), Some(id));
		// No fee was taken on the cancelled order: governance may only decide against a
		// compensation.
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 20),
			Error::<Test>::CompensationAboveCap
		);
		let platform = free(ENT, PLATFORM);
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 0));
		assert_eq!(free(ENT, PLATFORM), platform + PLATFORM_KIND.deposit);
		assert_held(0, 0);
		assert!(Disputes::dispute(id).is_none());
		assert_eq!(Disputes::dispute_of_order(order), None);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Compensation,
			frozen: 0,
			refund: 0,
			merchant_gross: 0,
			compensation: 0,
		});
	});
}

// ---- Administration -----------------------------------------------------------------------------

#[test]
fn arbiters_are_appointed_and_removed_by_the_admin_origin() {
	build_and_execute(|| {
		assert_noop!(
			Disputes::add_arbiter(RuntimeOrigin::signed(ALICE), ARB1),
			DispatchError::BadOrigin
		);
		add_arbiters(&[ARB1, ARB2, ARB3, CHARLIE]);
		ev(Event::ArbiterAdded { arbiter: ARB1 });
		assert_eq!(Disputes::arbiters(), vec![ARB1, ARB2, ARB3, CHARLIE]);
		assert_noop!(
			Disputes::add_arbiter(RuntimeOrigin::root(), ARB1),
			Error::<Test>::AlreadyArbiter
		);
		assert_noop!(
			Disputes::add_arbiter(RuntimeOrigin::root(), DAVE),
			Error::<Test>::TooManyArbiters
		);
		assert_noop!(
			Disputes::remove_arbiter(RuntimeOrigin::signed(ARB1), ARB1),
			DispatchError::BadOrigin
		);
		assert_ok!(Disputes::remove_arbiter(RuntimeOrigin::root(), ARB2));
		ev(Event::ArbiterRemoved { arbiter: ARB2 });
		assert_eq!(Disputes::arbiters(), vec![ARB1, ARB3, CHARLIE]);
		assert_noop!(
			Disputes::remove_arbiter(RuntimeOrigin::root(), ARB2),
			Error::<Test>::NotArbiter
		);
	});
}

#[test]
fn genesis_appoints_the_first_arbiters() {
	new_test_ext_with_arbiters(vec![ARB1, ARB2]).execute_with(|| {
		assert_eq!(Disputes::arbiters(), vec![ARB1, ARB2]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(4);
		assert!(matches!(stage(id), Stage::Arbitration { .. }));
		check_invariants();
	});
}

#[test]
#[should_panic(expected = "valid genesis arbiters")]
fn genesis_refuses_duplicate_arbiters() {
	new_test_ext_with_arbiters(vec![ARB1, ARB1]);
}

#[test]
fn set_params_validates_and_applies_to_disputes_opened_afterwards() {
	build_and_execute(|| {
		assert_eq!(Disputes::params(), DefaultParams::get());
		let mut params = DefaultParams::get();
		params.agreement.deposit = 70;
		params.agreement.stake = Permill::from_percent(10);
		params.arbiter_fee = 5;
		assert_noop!(
			Disputes::set_params(RuntimeOrigin::signed(ALICE), params),
			DispatchError::BadOrigin
		);
		let mut bad = params;
		bad.after_sales.ruling_within = 0;
		assert_noop!(
			Disputes::set_params(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidParams
		);
		let mut bad = params;
		bad.agreement.negotiation_within = AGREEMENT.response_within - 1;
		assert_noop!(
			Disputes::set_params(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidParams
		);
		let mut bad = params;
		bad.platform.decide_within = 0;
		assert_noop!(
			Disputes::set_params(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidParams
		);
		let mut bad = params;
		bad.after_sales.stake = Permill::zero();
		assert_noop!(
			Disputes::set_params(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidParams
		);

		let (_, before) = alice_disputes();
		assert_ok!(Disputes::set_params(RuntimeOrigin::root(), params));
		ev(Event::ParamsSet { params });
		assert_eq!(Params::<Test>::get(), params);
		let after = open(
			DAVE,
			shipped_order_of(DAVE, USDX, 1, 500, 0),
			DisputeKind::Agreement,
			DisputeReason::Damaged,
		);
		assert_eq!(Disputes::dispute(before).unwrap().terms, AGREEMENT);
		assert_eq!(Disputes::dispute(before).unwrap().arbiter_fee, ARBITER_FEE);
		assert_eq!(Disputes::dispute(after).unwrap().terms.deposit, 70);
		assert_eq!(Disputes::dispute(after).unwrap().arbiter_fee, 5);
		// 70 ENT and 10% of 500 USD.
		assert_eq!(deposits(after).0, Deposit::stated(70, 50));
		assert_eq!(deposits(before).0, PARTY_DEPOSIT);
	});
}

// ---- Deadline mechanics -------------------------------------------------------------------------

/// How many deadlines whose action weighs `branch` one hook with `budget` fires: room for the
/// heaviest deadline must be left before each (the queue cannot know the branch in advance).
fn deadlines_fitting(budget: Weight, branch: Weight) -> usize {
	let db = <Test as frame_system::Config>::DbWeight::get();
	let heaviest =
		DeadlineQueue::<Test>::per_item(db).saturating_add(Disputes::heaviest_deadline());
	let mut used = db.reads_writes(1, 1);
	let mut fired = 0;
	while used.saturating_add(heaviest).all_lte(budget) {
		used.saturating_accrue(DeadlineQueue::<Test>::per_item(db).saturating_add(branch));
		fired += 1;
	}
	fired
}

#[test]
fn deadlines_carry_over_and_none_is_skipped() {
	build_and_execute(|| {
		let budget = HookBudget::get();
		let branch = <Test as crate::Config>::WeightInfo::deadline_response();
		let per_block = deadlines_fitting(budget, branch);
		assert!(per_block >= 1);
		let count = per_block + 2;
		let ids: Vec<DisputeId> = (0..count)
			.map(|_| {
				let order = shipped_order_of(ALICE, USDX, 1, 100, 0);
				open(ALICE, order, DisputeKind::Agreement, DisputeReason::NotReceived)
			})
			.collect();
		// Any number of deadlines are due in one block.
		assert_eq!(Deadlines::<Test>::iter_prefix(6).count(), count);
		let escalated = || {
			ids.iter()
				.filter(|id| matches!(stage(**id), Stage::AwaitingArbiter { .. }))
				.count()
		};
		// Blocks 6..=19 were never initialised (e.g. the chain stalled): the next block fires
		// what its budget allows, oldest first, and leaves the rest in place.
		run_to_block(5);
		System::set_block_number(20);
		let used = Disputes::on_initialize(20);
		assert!(used.all_lte(budget), "{used:?} above the budget {budget:?}");
		assert_eq!(escalated(), per_block);
		assert_eq!(DeadlineCursor::<Test>::get(), 6);
		assert_eq!(Deadlines::<Test>::iter_prefix(6).count(), 2);
		// A block with nothing to spare fires nothing more; what it leaves over does.
		assert_eq!(Disputes::on_idle(20, Weight::zero()), Weight::zero());
		assert_eq!(escalated(), per_block);
		Disputes::on_idle(20, Weight::MAX);
		assert_eq!(escalated(), count);
		assert_eq!(DeadlineCursor::<Test>::get(), 21);
		// Every escalation was fired once, by the deadline of its own dispute.
		let escalations = dispute_events()
			.into_iter()
			.filter(|e| matches!(e, Event::Escalated { by: None, draw_at: 23, .. }))
			.count();
		assert_eq!(escalations, count);
		// Without arbiters, every draw sends its dispute to governance, over as many blocks as
		// the budget needs.
		run_to_block(25);
		for id in ids {
			assert!(matches!(stage(id), Stage::AwaitingGovernance { .. }));
		}
		assert_held(50 * count as Balance, 5 * count as Balance);
	});
}

#[test]
fn a_failed_deadline_is_retried_until_it_succeeds() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		// A 50 USD order: the holdback is 5, below USD's minimum balance of 10.
		let order = shipped_order_of(ALICE, USDX, 1, 50, 0);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), order));
		assert_eq!(free(USDX, BOB), BOB_USD + 45);
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::Defective);
		// 40 ENT and 5% of 5 USD, rounded up.
		assert_eq!(deposits(id).0, Deposit::stated(40, 1));
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(4);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0));
		// BOB empties his USD account: the 5 can no longer reach him.
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&BOB,
			&CHARLIE,
			free(USDX, BOB),
			Preservation::Expendable
		));
		run_to_block(7);
		ev(Event::DeadlineFailed {
			dispute_id: id,
			kind: DeadlineKind::Appeal,
			error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
			failures: 1,
			retry_at: 7 + RETRY_DELAY,
		});
		assert_eq!(stage(id), Stage::Ruled { arbiter: ARB1, refund: 0, appeal_by: 7 });
		assert_eq!(
			Deadlines::<Test>::get(12, id),
			Some(Deadline { kind: DeadlineKind::Appeal, failures: 1 })
		);
		assert_held(40, 1);
		assert_eq!(Orders::frozen(order), Some(5), "nothing moved");
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&DAVE,
			&BOB,
			10,
			Preservation::Preserve
		));
		run_to_block(11);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(12);
		assert!(Disputes::dispute(id).is_none());
		// The 5 of holdback and ALICE's 1 USD stake (the ruling favours BOB).
		assert_eq!(free(USDX, BOB), 10 + 5 + 1);
		assert_held(0, 0);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Ruling,
			frozen: 5,
			refund: 0,
			merchant_gross: 5,
			compensation: 0,
		});
	});
}

#[test]
fn a_deadline_that_keeps_failing_ends_the_dispute_undecided() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		// As above: a ruling of the 5 USD holdback for BOB, who can no longer receive it.
		let order = shipped_order_of(ALICE, USDX, 1, 50, 0);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), order));
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::Defective);
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(4);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0));
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&BOB,
			&CHARLIE,
			free(USDX, BOB),
			Preservation::Expendable
		));
		let (alice_ent, alice_usd) = (free(ENT, ALICE), free(USDX, ALICE));
		// Fails at 7 and at 12, each time retried RETRY_DELAY later.
		run_to_block(16);
		for (failures, retry_at) in [(1, 12), (2, 17)] {
			ev(Event::DeadlineFailed {
				dispute_id: id,
				kind: DeadlineKind::Appeal,
				error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
				failures,
				retry_at,
			});
		}
		assert_eq!(
			Deadlines::<Test>::get(17, id),
			Some(Deadline { kind: DeadlineKind::Appeal, failures: 2 })
		);
		// Poking it fails the same way and changes nothing.
		System::set_block_number(17);
		assert_noop!(
			Disputes::poke(RuntimeOrigin::signed(CHARLIE), id),
			pallet_escrow::Error::<Test>::PayeeCannotReceive
		);
		System::set_block_number(16);
		// The third failure (MAX_DEADLINE_FAILURES) ends the dispute undecided: the deposits go
		// back and the order is settled again, under its own after-sales rules.
		run_to_block(17);
		let failed = dispute_events()
			.into_iter()
			.filter(|e| matches!(e, Event::DeadlineFailed { .. }))
			.count();
		assert_eq!(failed as u32, MAX_DEADLINE_FAILURES - 1);
		assert!(Disputes::dispute(id).is_none());
		assert_eq!(DeadlineAt::<Test>::get(id), None);
		assert_eq!(Deadlines::<Test>::iter().count(), 0);
		assert_eq!((free(ENT, ALICE), free(USDX, ALICE)), (alice_ent + 40, alice_usd + 1));
		assert_held(0, 0);
		assert_eq!(Orders::frozen(order), None);
		assert_eq!(order_status(order), OrderStatus::Settled);
		assert_eq!(Orders::order(order).unwrap().locked, 5);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			reference: legacy_reference(order),
			resolution: Resolution::Undecided,
			frozen: 5,
			refund: 0,
			merchant_gross: 0,
			compensation: 0,
		});
	});
}

#[test]
fn anyone_may_poke_an_overdue_deadline_and_not_before() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		let (_, id) = alice_disputes();
		run_to_block(5);
		// Not due yet (respond_by is 6).
		assert_noop!(Disputes::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		assert_noop!(Disputes::poke(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
		assert_noop!(
			Disputes::poke(RuntimeOrigin::signed(CHARLIE), id + 1),
			Error::<Test>::DisputeNotFound
		);
		// Block 6, before its hooks reach the deadline: anybody fires it.
		System::set_block_number(6);
		let post = Disputes::poke(RuntimeOrigin::signed(CHARLIE), id).expect("due");
		assert!(post.actual_weight.is_some_and(|w| w.all_lte(
			Disputes::heaviest_deadline().max(<Test as crate::Config>::WeightInfo::poke())
		)));
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 9 });
		ev(Event::Escalated { dispute_id: id, by: None, draw_at: 9 });
		assert_eq!(DeadlineAt::<Test>::get(id), Some(9));
		// Fired once: the next deadline is not due, and the chain does not fire it again.
		assert_noop!(Disputes::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		run_to_block(8);
		let escalations = dispute_events()
			.into_iter()
			.filter(|e| matches!(e, Event::Escalated { .. }))
			.count();
		assert_eq!(escalations, 1);
		run_to_block(9);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 19 });
		assert_noop!(Disputes::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
	});
}

#[test]
fn moving_on_replaces_the_disputes_deadline() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		// The draw's deadline replaced the respondent's (6) and no negotiation deadline is left.
		assert_eq!(
			Deadlines::<Test>::iter().collect::<Vec<_>>(),
			vec![(4, id, Deadline::new(DeadlineKind::Draw))]
		);
		run_to_block(4);
		// No arbiter: at governance until 24, its only deadline.
		assert_eq!(
			Deadlines::<Test>::iter().collect::<Vec<_>>(),
			vec![(24, id, Deadline::new(DeadlineKind::Decision))]
		);
		System::reset_events();
		run_to_block(23);
		assert_eq!(dispute_events(), vec![]);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 24 });
		assert_held(100, 100);
	});
}

#[test]
fn the_deadline_cursor_starts_at_the_first_scheduled_deadline() {
	new_test_ext().execute_with(|| {
		System::set_block_number(1_000);
		run_to_block(1_001);
		assert_eq!(DeadlineCursor::<Test>::get(), 0);
		let (_, id) = alice_disputes();
		assert_eq!(DeadlineCursor::<Test>::get(), 1_001);
		run_to_block(1_006);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 1_009 });
		assert_eq!(DeadlineCursor::<Test>::get(), 1_007);
		check_invariants();
	});
}

// ---- Types and queries --------------------------------------------------------------------------

#[test]
fn every_reason_belongs_to_one_kind() {
	use DisputeReason::*;
	let agreement =
		[NotReceived, NotAsDescribed, WrongQuantity, Damaged, ReturnNotReceived, OtherAgreement];
	let after_sales = [Defective, MissingParts, WarrantyRefused, OtherAfterSales];
	let platform = [WrongFee, WrongAutomaticRelease, WrongAutomaticRefund, OtherPlatform];
	assert!(agreement.iter().all(|r| r.kind() == DisputeKind::Agreement));
	assert!(after_sales.iter().all(|r| r.kind() == DisputeKind::AfterSales));
	assert!(platform.iter().all(|r| r.kind() == DisputeKind::Platform));
}

#[test]
fn a_ruling_favours_the_customer_from_half_the_frozen_amount() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		let d = Disputes::dispute(id).unwrap();
		assert_eq!(d.favoured_by(499), Side::Merchant);
		assert_eq!(d.favoured_by(500), Side::Customer);
		assert_eq!(d.favoured_by(1_000), Side::Customer);
		assert_eq!(d.favoured_by(0), Side::Merchant);
		assert_eq!((d.party_deposit(), d.appellant_deposit()), (PARTY_DEPOSIT, APPEAL_DEPOSIT));
	});
}

#[test]
fn inquiries_page_through_a_partys_disputes() {
	build_and_execute(|| {
		for _ in 0..12 {
			let order = shipped_order_of(DAVE, USDX, 1, 100, 0);
			open(DAVE, order, DisputeKind::Agreement, DisputeReason::Damaged);
		}
		let first = Disputes::disputes_of(DAVE, None, 5);
		assert_eq!(first.len(), 5);
		let rest = Disputes::disputes_of(DAVE, first.last().map(|(id, _)| *id), 100);
		// Pages are capped at MaxPageSize (10).
		assert_eq!(rest.len(), 7);
		let mut all: Vec<_> = first.iter().chain(rest.iter()).map(|(id, _)| *id).collect();
		all.sort();
		assert_eq!(all, (0..12).collect::<Vec<_>>());
		assert_eq!(Disputes::disputes_of(BOB, None, u32::MAX).len(), 10);
		assert_eq!(Disputes::disputes_of(CHARLIE, None, 10), vec![]);
		assert_eq!(Disputes::dispute_of_order(999), None);
		assert_eq!(Disputes::arbiters(), Vec::<AccountId>::new());
		assert_eq!(Disputes::arbiter_cases(ARB1), vec![]);
	});
}

#[test]
fn integrity_test_passes_for_the_mock_config() {
	new_test_ext().execute_with(|| {
		<Disputes as Hooks<u64>>::integrity_test();
		assert_eq!(crate::NextDisputeId::<Test>::get(), 0);
		assert_eq!(vault(), Disputes::account_id());
		assert_ne!(vault(), escrow_vault(), "deposits and escrowed money on one account");
	});
}
