//! Unit tests of the disputes pallet against the real orders, escrow, balances and assets
//! pallets, named after the behaviour they show. Every test ends with the three pallets'
//! `try_state` (see [`build_and_execute`]).
//!
//! Arithmetic used throughout (platform fee 1%): ALICE's order with BOB is 2 × 450 + 100 =
//! 1_000 USD, shipped at block 1 and disputed at block 1, so 1_000 is frozen. A payout of
//! `refund` gives ALICE `refund` back and BOB `1_000 - refund` minus 1% (rounded down), the fee
//! to the fee account: ALICE + BOB + fee == 1_000 exactly. Agreement deposits are 50 ENT (appeal
//! 80), the arbiter fee is 20 ENT: a losing side's 50 pays the arbiter 20 and the platform 30.

use crate::{
	mock::*, ArbiterCases, ArbiterMisses, Balance, CurrencyId, DeadlineCursor, DeadlineKind,
	Deadlines, DisputeId, DisputeKind, DisputeOfOrder, DisputeReason, Disputes as DisputeStore,
	DisputesOfParty, Error, Event, HoldReason, OrderId, Params, Proposal, Resolution, Side, Stage,
};
use codec::Encode;
use entrepot_primitives::OrderDisputes;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::InspectHold,
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
		Hooks,
	},
};
use sp_core::H256;
use sp_runtime::DispatchError;

mod property;

type OrdersError = pallet_orders::Error<Test>;

fn free(currency: CurrencyId, who: AccountId) -> Balance {
	<Currencies as Inspect<_>>::balance(currency, &who)
}

/// The ENT held from `who` for disputes.
fn held(who: AccountId) -> Balance {
	<Balances as InspectHold<_>>::balance_on_hold(&HoldReason::DisputeDeposit.into(), &who)
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
	));
	assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(9)));
	id
}

/// ALICE's order, settled: BOB was paid 900 gross, the 100 holdback stays locked for 30 blocks.
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

/// ALICE's dispute, engaged by BOB's escalation at block 1, with the arbiter drawn at block 2
/// among `arbiters`. Returns the order, the dispute and the arbiter.
fn in_arbitration(arbiters: &[AccountId]) -> (OrderId, DisputeId, AccountId) {
	add_arbiters(arbiters);
	let (order, id) = alice_disputes();
	assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
	run_to_block(System::block_number() + 1);
	let Stage::Arbitration { arbiter, .. } = stage(id) else { panic!("not in arbitration") };
	(order, id, arbiter)
}

/// USD balances of ALICE, BOB and the fee account.
fn usd_books() -> (Balance, Balance, Balance) {
	(free(USDX, ALICE), free(USDX, BOB), free(USDX, FEE))
}

/// Checks a payout of the frozen 1_000: ALICE got `refund`, BOB the rest minus 1%, the fee
/// account the 1%; together exactly 1_000.
fn assert_paid_out(before: (Balance, Balance, Balance), frozen: Balance, refund: Balance) {
	let after = usd_books();
	let (customer, merchant, fee) = (after.0 - before.0, after.1 - before.1, after.2 - before.2);
	assert_eq!(customer, refund, "customer's refund");
	assert_eq!(fee, (frozen - refund) / 100, "platform fee");
	assert_eq!(customer + merchant + fee, frozen, "customer + merchant + fee != frozen");
}

fn assert_gone(order: OrderId, id: DisputeId) {
	assert!(Disputes::dispute(id).is_none());
	assert!(DisputeOfOrder::<Test>::get(order).is_none());
	assert!(Orders::order(order).is_none(), "the order is archived");
	assert_eq!(Orders::frozen(order), None);
}

// ---- Opening ------------------------------------------------------------------------------------

#[test]
fn open_agreement_dispute_freezes_the_order_and_holds_the_deposit() {
	build_and_execute(|| {
		let order = shipped_order();
		let alice_ent = free(ENT, ALICE);
		let id = open(ALICE, order, DisputeKind::Agreement, DisputeReason::NotReceived);
		assert_eq!(held(ALICE), AGREEMENT.deposit);
		assert_eq!(free(ENT, ALICE), alice_ent - AGREEMENT.deposit);
		assert_eq!(Orders::frozen(order), Some(1_000));
		let dispute = Disputes::dispute(id).unwrap();
		assert_eq!(dispute.frozen, 1_000);
		assert_eq!(dispute.opener, Side::Customer);
		assert_eq!((dispute.customer, dispute.merchant, dispute.currency), (ALICE, BOB, USDX));
		assert_eq!(dispute.stage, Stage::Negotiating { respond_by: 6, negotiate_by: 11 });
		assert_eq!(dispute.customer_evidence.to_vec(), vec![evidence(1)]);
		assert_eq!(dispute.terms, AGREEMENT);
		assert_eq!(Disputes::dispute_of_order(order).map(|(i, _)| i), Some(id));
		assert_eq!(Disputes::disputes_of(BOB, None, 10).len(), 1);
		assert_eq!(Deadlines::<Test>::get(6).unwrap().to_vec(), vec![(id, DeadlineKind::Response)]);
		assert_eq!(
			Deadlines::<Test>::get(11).unwrap().to_vec(),
			vec![(id, DeadlineKind::Negotiation)]
		);
		ev(Event::DisputeOpened {
			dispute_id: id,
			order_id: order,
			kind: DisputeKind::Agreement,
			reason: DisputeReason::NotReceived,
			opener: ALICE,
			frozen: 1_000,
			deposit: AGREEMENT.deposit,
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
fn merchant_may_open_an_agreement_dispute() {
	build_and_execute(|| {
		let order = shipped_order();
		let id = open(BOB, order, DisputeKind::Agreement, DisputeReason::ReturnNotReceived);
		assert_eq!(held(BOB), AGREEMENT.deposit);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Disputes::dispute(id).unwrap().opener, Side::Merchant);
		assert_eq!(Disputes::dispute(id).unwrap().merchant_evidence.len(), 1);
	});
}

#[test]
fn open_after_sales_dispute_freezes_the_holdback_with_its_own_terms() {
	build_and_execute(|| {
		let order = settled_order();
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::Defective);
		assert_eq!(held(ALICE), AFTER_SALES.deposit);
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
		));
		let id = open(BOB, order, DisputeKind::Platform, DisputeReason::WrongFee);
		assert_eq!(held(BOB), PLATFORM_KIND.deposit);
		assert_eq!(Orders::frozen(order), None);
		let dispute = Disputes::dispute(id).unwrap();
		assert_eq!(dispute.frozen, 0);
		assert_eq!(dispute.stage, Stage::AwaitingGovernance { decide_by: 16 });
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

// ---- Evidence -----------------------------------------------------------------------------------

#[test]
fn submit_evidence_by_the_respondent_engages_it_and_holds_its_deposit() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(2)));
		assert_eq!(held(BOB), AGREEMENT.deposit);
		let dispute = Disputes::dispute(id).unwrap();
		assert!(dispute.respondent_engaged);
		assert_eq!(dispute.merchant_deposit, AGREEMENT.deposit);
		assert_eq!(dispute.merchant_evidence.to_vec(), vec![evidence(2)]);
		ev(Event::RespondentEngaged {
			dispute_id: id,
			respondent: BOB,
			deposit: AGREEMENT.deposit,
		});
		ev(Event::EvidenceSubmitted { dispute_id: id, by: BOB, evidence: evidence(2) });
		// Later evidence holds nothing more; the opener's never engages anything.
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(BOB), id, evidence(3)));
		assert_ok!(Disputes::submit_evidence(RuntimeOrigin::signed(ALICE), id, evidence(4)));
		assert_eq!(held(BOB), AGREEMENT.deposit);
		assert_eq!(held(ALICE), AGREEMENT.deposit);
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
		// respondent can no longer engage.
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
		// BOB has 10_000 ENT, 100 of them held as merchant deposit.
		let mut params = DefaultParams::get();
		params.agreement.deposit = 9_950;
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
	});
}

// ---- Settlement ---------------------------------------------------------------------------------

#[test]
fn accepted_settlement_pays_out_exactly_and_returns_every_deposit() {
	build_and_execute(|| {
		let (order, id) = alice_disputes();
		let (alice_ent, bob_ent) = (free(ENT, ALICE), free(ENT, BOB));
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(BOB), id, 400));
		assert_eq!(held(BOB), AGREEMENT.deposit);
		assert_eq!(
			Disputes::dispute(id).unwrap().proposal,
			Some(Proposal { by: Side::Merchant, refund: 400 })
		);
		ev(Event::SettlementProposed { dispute_id: id, by: BOB, refund: 400 });
		let before = usd_books();
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(ALICE), id));
		// 400 back to ALICE; 600 to BOB: fee 6, net 594.
		assert_paid_out(before, 1_000, 400);
		assert_eq!(free(USDX, BOB) - before.1, 594);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_eq!(free(ENT, ALICE), alice_ent + AGREEMENT.deposit + 10);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_gone(order, id);
		assert!(DisputesOfParty::<Test>::iter().next().is_none());
		ev(Event::DepositReturned { dispute_id: id, who: ALICE, amount: AGREEMENT.deposit });
		ev(Event::DepositReturned { dispute_id: id, who: BOB, amount: AGREEMENT.deposit });
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
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
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(BOB), id));
		assert_paid_out(before, 1_000, 700);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
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
		assert_paid_out(before, 1_000, 500);
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
		// A silent respondent cannot accept once its window closed: it lost by silence.
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
		assert_paid_out(before, 1_000, 250);
		assert!(!ArbiterCases::<Test>::contains_key(arbiter, id));
		assert_eq!(Disputes::arbiter_cases(ARB1), vec![]);
		assert_eq!(free(ENT, ARB1), arb_ent);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_gone(order, id);
	});
}

// ---- Silence and negotiation deadlines ----------------------------------------------------------

#[test]
fn a_silent_merchant_loses_to_a_customer_opener() {
	build_and_execute(|| {
		let (order, id) = alice_disputes();
		let before = usd_books();
		let alice_ent = free(ENT, ALICE);
		run_to_block(5);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(6);
		assert_paid_out(before, 1_000, 1_000);
		assert_eq!(held(ALICE), 0);
		// Deposit and order deposit back.
		assert_eq!(free(ENT, ALICE), alice_ent + AGREEMENT.deposit + 10);
		assert_gone(order, id);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			resolution: Resolution::Silence,
			frozen: 1_000,
			refund: 1_000,
			merchant_gross: 0,
			compensation: 0,
		});
	});
}

#[test]
fn a_silent_customer_loses_to_a_merchant_opener() {
	build_and_execute(|| {
		let order = shipped_order();
		let id = open(BOB, order, DisputeKind::Agreement, DisputeReason::ReturnNotReceived);
		let before = usd_books();
		run_to_block(6);
		// Everything to BOB: 1_000 gross, fee 10, net 990.
		assert_paid_out(before, 1_000, 0);
		assert_eq!(free(USDX, BOB) - before.1, 990);
		assert_eq!(held(BOB), 0);
		assert_gone(order, id);
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
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 12 });
		ev(Event::Escalated { dispute_id: id, by: None, draw_at: 12 });
		run_to_block(12);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 22 });
	});
}

#[test]
fn after_sales_silence_refunds_the_holdback_with_the_after_sales_window() {
	build_and_execute(|| {
		let order = settled_order();
		let bob_before = free(USDX, BOB);
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::MissingParts);
		let before = usd_books();
		run_to_block(4);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(5);
		assert_paid_out(before, 100, 100);
		// BOB keeps the 891 net he was paid on settlement, and gets nothing of the holdback.
		assert_eq!(free(USDX, BOB), bob_before);
		assert_eq!(held(ALICE), 0);
		assert_gone(order, id);
	});
}

// ---- Escalation and the draw --------------------------------------------------------------------

#[test]
fn escalate_draws_an_arbiter_in_the_next_block() {
	build_and_execute(|| {
		add_arbiters(&[ARB1, ARB2, ARB3]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		assert_eq!(held(BOB), AGREEMENT.deposit);
		assert_eq!(stage(id), Stage::AwaitingArbiter { draw_at: 2 });
		ev(Event::Escalated { dispute_id: id, by: Some(BOB), draw_at: 2 });
		run_to_block(2);
		let Stage::Arbitration { arbiter, rule_by } = stage(id) else { panic!("no arbiter") };
		assert!([ARB1, ARB2, ARB3].contains(&arbiter));
		assert_eq!(rule_by, 12);
		assert!(ArbiterCases::<Test>::contains_key(arbiter, id));
		assert_eq!(Disputes::arbiter_cases(arbiter).len(), 1);
		ev(Event::ArbiterAssigned { dispute_id: id, arbiter, rule_by });
	});
}

#[test]
fn the_draw_follows_the_parent_hash_and_skips_parties_and_missed_arbiters() {
	build_and_execute(|| {
		// The parties are arbiters too: they are never drawn for their own dispute.
		add_arbiters(&[ALICE, ARB1, BOB, ARB2]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(2);
		let eligible = [ARB1, ARB2];
		let seed = sp_io::hashing::blake2_256(&(System::parent_hash(), id).encode());
		let n = u64::from_le_bytes(seed[..8].try_into().unwrap());
		let first = eligible[(n % 2) as usize];
		assert_eq!(stage(id), Stage::Arbitration { arbiter: first, rule_by: 12 });
		// The first misses: the other one is the only one left.
		run_to_block(12);
		let second = if first == ARB1 { ARB2 } else { ARB1 };
		assert_eq!(stage(id), Stage::Arbitration { arbiter: second, rule_by: 22 });
		assert_eq!(Disputes::dispute(id).unwrap().missed.to_vec(), vec![first]);
	});
}

#[test]
fn escalation_without_an_eligible_arbiter_goes_to_governance() {
	build_and_execute(|| {
		add_arbiters(&[BOB]);
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(BOB), 0, "the opener's escalation engages nobody");
		run_to_block(2);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 22 });
		ev(Event::SentToGovernance { dispute_id: id, decide_by: 22 });
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
		assert_eq!(stage(id), Stage::Ruled { arbiter: ARB1, refund: 300, appeal_by: 7 });
		assert!(!ArbiterCases::<Test>::contains_key(ARB1, id));
		ev(Event::Ruled { dispute_id: id, arbiter: ARB1, refund: 300, appeal_by: 7 });
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
		run_to_block(2);
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB1, rule_by: 12 });
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
		System::set_block_number(12);
		assert_noop!(
			Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0),
			Error::<Test>::RulingWindowClosed
		);
		System::set_block_number(2);
		assert_ok!(Disputes::remove_arbiter(RuntimeOrigin::root(), ARB1));
		assert_noop!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0), Error::<Test>::NotArbiter);
	});
}

#[test]
fn a_missed_ruling_is_recorded_and_another_arbiter_drawn_until_governance_takes_over() {
	build_and_execute(|| {
		let (_, id, first) = in_arbitration(&[ARB1, ARB2, ARB3]);
		run_to_block(11);
		assert_eq!(ArbiterMisses::<Test>::get(first), None);
		run_to_block(12);
		assert_eq!(ArbiterMisses::<Test>::get(first), Some(1));
		ev(Event::ArbiterMissedDeadline { dispute_id: id, arbiter: first, misses: 1 });
		let Stage::Arbitration { arbiter: second, rule_by } = stage(id) else { panic!() };
		assert_ne!(second, first);
		assert_eq!(rule_by, 22);
		assert!(!ArbiterCases::<Test>::contains_key(first, id));
		assert!(ArbiterCases::<Test>::contains_key(second, id));
		// MAX_REASSIGNMENTS (2) misses: governance decides.
		run_to_block(22);
		assert_eq!(ArbiterMisses::<Test>::get(second), Some(1));
		assert_eq!(Disputes::dispute(id).unwrap().missed.to_vec(), vec![first, second]);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 42 });
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
		run_to_block(12);
		ev(Event::ArbiterWithdrawn { dispute_id: id, arbiter: ARB1 });
		assert_eq!(stage(id), Stage::Arbitration { arbiter: ARB2, rule_by: 22 });
		assert_eq!(ArbiterMisses::<Test>::get(ARB1), None);
		assert!(Disputes::dispute(id).unwrap().missed.is_empty());
	});
}

#[test]
fn an_unappealed_ruling_for_the_merchant_is_executed_and_the_customer_pays_the_arbiter() {
	build_and_execute(|| {
		let (order, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		let before = usd_books();
		let (alice_ent, bob_ent, arb, platform) =
			(free(ENT, ALICE), free(ENT, BOB), free(ENT, ARB1), free(ENT, PLATFORM));
		run_to_block(6);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(7);
		// 2 × 300 < 1_000: the ruling favours BOB. ALICE's 50 pays ARB1 20, the platform 30.
		assert_paid_out(before, 1_000, 300);
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, PLATFORM), platform + AGREEMENT.deposit - ARBITER_FEE);
		assert_eq!(free(ENT, BOB), bob_ent + AGREEMENT.deposit);
		assert_eq!(free(ENT, ALICE), alice_ent + 10, "only the order deposit comes back");
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_gone(order, id);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: ALICE,
			arbiter: Some(ARB1),
			to_arbiter: ARBITER_FEE,
			to_platform: AGREEMENT.deposit - ARBITER_FEE,
		});
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
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
		let (_, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 500));
		let before = usd_books();
		let (alice_ent, bob_ent, arb) = (free(ENT, ALICE), free(ENT, BOB), free(ENT, ARB1));
		run_to_block(7);
		assert_paid_out(before, 1_000, 500);
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_eq!(free(ENT, ALICE), alice_ent + AGREEMENT.deposit + 10);
	});
}

// ---- Appeals ------------------------------------------------------------------------------------

#[test]
fn appeal_by_the_side_the_ruling_does_not_favour_holds_the_appeal_deposit() {
	build_and_execute(|| {
		let (_, id, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 300));
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(ALICE), AGREEMENT.deposit + AGREEMENT.appeal_deposit);
		assert_eq!(
			stage(id),
			Stage::Appealed {
				arbiter: ARB1,
				refund: 300,
				appellant: Side::Customer,
				decide_by: 22
			}
		);
		ev(Event::Appealed {
			dispute_id: id,
			appellant: ALICE,
			deposit: AGREEMENT.appeal_deposit,
			decide_by: 22,
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
		System::set_block_number(7);
		assert_noop!(Disputes::appeal(o(ALICE), id), Error::<Test>::AppealWindowClosed);
		System::set_block_number(2);
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
		// 2 × 600 ≥ 1_000: the ruling favours ALICE; BOB (9_850 free) cannot pay 9_900.
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
		let before = usd_books();
		let (alice_ent, bob_ent, arb, platform) =
			(free(ENT, ALICE), free(ENT, BOB), free(ENT, ARB1), free(ENT, PLATFORM));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 800));
		// 800 back: the decision favours ALICE. Her 50 + 80 come back; BOB's 50 pays the
		// arbiter who ruled 20 and the platform 30.
		assert_paid_out(before, 1_000, 800);
		assert_eq!(free(ENT, ALICE), alice_ent + AGREEMENT.deposit + AGREEMENT.appeal_deposit + 10);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(free(ENT, PLATFORM), platform + AGREEMENT.deposit - ARBITER_FEE);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_gone(order, id);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
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
		run_to_block(21);
		assert!(Disputes::dispute(id).is_some());
		run_to_block(22);
		// The ruling stands: ALICE's 50 + 80 pay the arbiter 20 and the platform 110.
		assert_paid_out(before, 1_000, 300);
		assert_eq!(free(ENT, ARB1), arb + ARBITER_FEE);
		assert_eq!(
			free(ENT, PLATFORM),
			platform + AGREEMENT.deposit + AGREEMENT.appeal_deposit - ARBITER_FEE
		);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_gone(order, id);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			resolution: Resolution::RulingStands,
			frozen: 1_000,
			refund: 300,
			merchant_gross: 700,
			compensation: 0,
		});
	});
}

// ---- Governance ---------------------------------------------------------------------------------

/// ALICE's dispute, escalated by BOB with no arbiter: at governance from block 2 to 22.
fn at_governance() -> (OrderId, DisputeId) {
	let (order, id) = alice_disputes();
	assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
	run_to_block(2);
	assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 22 });
	(order, id)
}

#[test]
fn governance_decides_a_dispute_no_arbiter_took() {
	build_and_execute(|| {
		let (order, id) = at_governance();
		let before = usd_books();
		let (bob_ent, platform) = (free(ENT, BOB), free(ENT, PLATFORM));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 1_000));
		assert_paid_out(before, 1_000, 1_000);
		// No arbiter ruled: BOB's whole deposit goes to the platform.
		assert_eq!(free(ENT, PLATFORM), platform + AGREEMENT.deposit);
		assert_eq!(free(ENT, BOB), bob_ent);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_gone(order, id);
		ev(Event::DepositForfeited {
			dispute_id: id,
			who: BOB,
			arbiter: None,
			to_arbiter: 0,
			to_platform: AGREEMENT.deposit,
		});
	});
}

#[test]
fn governance_silence_decides_for_the_opener() {
	build_and_execute(|| {
		let order = shipped_order();
		let id = open(BOB, order, DisputeKind::Agreement, DisputeReason::ReturnNotReceived);
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(2);
		let before = usd_books();
		let platform = free(ENT, PLATFORM);
		run_to_block(22);
		// BOB opened: he gets all of it; ALICE (engaged) loses her deposit to the platform.
		assert_paid_out(before, 1_000, 0);
		assert_eq!(free(ENT, PLATFORM), platform + AGREEMENT.deposit);
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
		assert_gone(order, id);
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			resolution: Resolution::Default,
			frozen: 1_000,
			refund: 0,
			merchant_gross: 1_000,
			compensation: 0,
		});
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
		System::set_block_number(22);
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

/// BOB's platform dispute about ALICE's shipped order; the fee account holds 500 USD to spare.
fn platform_dispute() -> (OrderId, DisputeId) {
	let order = shipped_order();
	assert_ok!(<Currencies as Mutate<_>>::transfer(USDX, &DAVE, &FEE, 500, Preservation::Preserve));
	let id = open(BOB, order, DisputeKind::Platform, DisputeReason::WrongFee);
	(order, id)
}

#[test]
fn a_platform_compensation_is_paid_from_the_fee_account_and_the_deposit_returned() {
	build_and_execute(|| {
		let (order, id) = platform_dispute();
		let (bob, fee, bob_ent) = (free(USDX, BOB), free(USDX, FEE), free(ENT, BOB));
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 50));
		assert_eq!(free(USDX, BOB), bob + 50);
		assert_eq!(free(USDX, FEE), fee - 50);
		assert_eq!(free(ENT, BOB), bob_ent + PLATFORM_KIND.deposit);
		assert_eq!(held(BOB), 0);
		assert!(Disputes::dispute(id).is_none());
		// The order was never frozen and goes on.
		assert!(Orders::order(order).is_some());
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::Compensated {
			order_id: order,
			who: BOB,
			currency: USDX,
			amount: 50,
		}));
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
			resolution: Resolution::Compensation,
			frozen: 0,
			refund: 0,
			merchant_gross: 0,
			compensation: 50,
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
		assert_eq!(held(BOB), 0);
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
		ev(Event::Resolved {
			dispute_id: id,
			order_id: order,
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
		assert_noop!(
			Disputes::decide(RuntimeOrigin::root(), id, 10_000),
			pallet_escrow::Error::<Test>::FeeAccountShort
		);
	});
}

#[test]
fn a_platform_dispute_outlives_its_order() {
	build_and_execute(|| {
		register(BOB);
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&DAVE,
			&FEE,
			500,
			Preservation::Preserve
		));
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
		));
		let id = open(ALICE, order, DisputeKind::Platform, DisputeReason::WrongAutomaticRefund);
		// The customer cancels: the order is archived, the platform dispute goes on.
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), order));
		assert!(Orders::order(order).is_none());
		let alice = free(USDX, ALICE);
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), id, 20));
		assert_eq!(free(USDX, ALICE), alice + 20);
		assert_eq!(held(ALICE), 0);
		assert!(DisputeOfOrder::<Test>::get(order).is_none());
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
fn set_params_validates_and_applies_to_disputes_opened_afterwards() {
	build_and_execute(|| {
		assert_eq!(Disputes::params(), DefaultParams::get());
		let mut params = DefaultParams::get();
		params.agreement.deposit = 70;
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
		assert_eq!(Disputes::dispute(before).unwrap().terms.deposit, 50);
		assert_eq!(Disputes::dispute(before).unwrap().arbiter_fee, ARBITER_FEE);
		assert_eq!(Disputes::dispute(after).unwrap().terms.deposit, 70);
		assert_eq!(Disputes::dispute(after).unwrap().arbiter_fee, 5);
		assert_eq!(held(DAVE), 70);
	});
}

// ---- Deadline mechanics -------------------------------------------------------------------------

#[test]
fn deadlines_carry_over_and_none_is_skipped() {
	build_and_execute(|| {
		let orders: Vec<OrderId> = (0..MAX_DEADLINES + 1)
			.map(|_| shipped_order_of(ALICE, USDX, 1, 100, 0))
			.collect();
		let ids: Vec<DisputeId> = orders
			.iter()
			.map(|o| open(ALICE, *o, DisputeKind::Agreement, DisputeReason::NotReceived))
			.collect();
		// Five response deadlines due at 6: four fit, the fifth spills into 7.
		assert_eq!(Deadlines::<Test>::get(6).unwrap().len() as u32, MAX_DEADLINES);
		assert_eq!(
			Deadlines::<Test>::get(7).unwrap().to_vec(),
			vec![(ids[4], DeadlineKind::Response)]
		);
		// Blocks 6..=19 were never initialised (e.g. the chain stalled); at most MAX_DEADLINES
		// are processed per block, the rest carried over.
		run_to_block(5);
		System::set_block_number(20);
		Disputes::on_initialize(20);
		assert_eq!(DisputeStore::<Test>::iter().count(), 1);
		assert_eq!(DeadlineCursor::<Test>::get(), 7);
		System::set_block_number(21);
		Disputes::on_initialize(21);
		assert_eq!(DisputeStore::<Test>::iter().count(), 0);
		assert_eq!(held(ALICE), 0);
		for order in orders {
			assert!(Orders::order(order).is_none());
		}
	});
}

#[test]
fn a_failed_deadline_is_retried_until_it_succeeds() {
	build_and_execute(|| {
		add_arbiters(&[ARB1]);
		// A 50 USD order: the holdback is 5, below USD's minimum balance of 10.
		let order = shipped_order_of(ALICE, USDX, 1, 50, 0);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), order));
		assert_eq!(free(USDX, BOB), 45);
		let id = open(ALICE, order, DisputeKind::AfterSales, DisputeReason::Defective);
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(ALICE), id));
		run_to_block(2);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), id, 0));
		// BOB empties his USD account: the 5 can no longer reach him.
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&BOB,
			&CHARLIE,
			45,
			Preservation::Expendable
		));
		run_to_block(5);
		ev(Event::DeadlineFailed {
			dispute_id: id,
			kind: DeadlineKind::Appeal,
			error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
			retry_at: 10,
		});
		assert_eq!(stage(id), Stage::Ruled { arbiter: ARB1, refund: 0, appeal_by: 5 });
		assert_eq!(held(ALICE), AFTER_SALES.deposit, "nothing moved");
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&DAVE,
			&BOB,
			10,
			Preservation::Preserve
		));
		run_to_block(10);
		assert!(Disputes::dispute(id).is_none());
		assert_eq!(free(USDX, BOB), 15);
		assert_eq!(held(ALICE), 0);
	});
}

#[test]
fn a_deadline_whose_dispute_moved_on_is_ignored() {
	build_and_execute(|| {
		let (_, id) = alice_disputes();
		assert_ok!(Disputes::escalate(RuntimeOrigin::signed(BOB), id));
		run_to_block(2);
		// No arbiter: at governance until 22. The response (6) and negotiation (11) deadlines
		// find the dispute elsewhere and do nothing.
		System::reset_events();
		run_to_block(21);
		assert_eq!(dispute_events(), vec![]);
		assert_eq!(stage(id), Stage::AwaitingGovernance { decide_by: 22 });
		assert_eq!(held(ALICE), AGREEMENT.deposit);
		assert!(Deadlines::<Test>::get(6).is_none() && Deadlines::<Test>::get(11).is_none());
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
		assert!(Disputes::dispute(id).is_none());
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
		assert_eq!(d.opener_wins_refund(), 1_000);
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
	});
}
