//! Property test: thousands of random dispute actions by random accounts (many of them
//! invalid), random order steps that make orders disputable (or not), and random block
//! advances (firing deadlines and the orders' timers). After every step: the three pallets'
//! `try_state`, the total issuance of each currency unchanged, every deposit held on this
//! pallet's account accounted for by an open dispute (and none held by anybody else), and, from
//! the events, every resolution paid out exactly the frozen amount (`refund + merchant gross ==
//! frozen`, and the escrow's payouts of the order add up to it) or, undecided, nothing at all;
//! every deposit settled exactly once, returned whole or forfeited to the unit (flat part to
//! the arbiter and the platform, stake to the favoured side).

use super::*;
use crate::DisputeOf;
use entrepot_dev::Rng;
use std::collections::{BTreeMap, BTreeSet};

fn issuances() -> (Balance, Balance) {
	(
		<Currencies as Inspect<_>>::total_issuance(ENT),
		<Currencies as Inspect<_>>::total_issuance(USDX),
	)
}

const EVERYONE: [AccountId; 9] = [ALICE, BOB, CHARLIE, DAVE, ARB1, ARB2, ARB3, PLATFORM, FEE];
const REASONS: [DisputeReason; 8] = [
	DisputeReason::NotReceived,
	DisputeReason::Damaged,
	DisputeReason::ReturnNotReceived,
	DisputeReason::Defective,
	DisputeReason::WarrantyRefused,
	DisputeReason::WrongFee,
	DisputeReason::WrongAutomaticRelease,
	DisputeReason::OtherPlatform,
];

/// Deposits: per currency, what this pallet's account holds equals what the open disputes
/// say, and nobody else holds anything for disputes.
fn check_deposits() {
	let mut expected: BTreeMap<CurrencyId, Balance> = BTreeMap::new();
	for (_, d) in DisputeStore::<Test>::iter() {
		for side in [Side::Customer, Side::Merchant] {
			let deposit = d.deposits_of(side);
			*expected.entry(ENT).or_default() += deposit.native;
			*expected.entry(d.currency.clone()).or_default() += deposit.stake;
		}
	}
	for currency in [ENT, USDX] {
		assert_eq!(
			held(currency.clone()),
			expected.get(&currency).copied().unwrap_or_default(),
			"dispute deposits in {currency:?} not accounted for"
		);
		for who in EVERYONE {
			assert_eq!(held_by(currency.clone(), who), 0, "{who} holds a dispute deposit");
		}
	}
}

/// Per order, what escrow paid out since the order was frozen.
#[derive(Default, Debug)]
struct Payouts {
	refunded: Balance,
	released_gross: Balance,
}

/// Audits this step's events against the disputes open before it (`before`); returns how
/// many disputes were resolved.
fn audit_events(
	before: &BTreeMap<DisputeId, DisputeOf<Test>>,
	frozen_at: &mut BTreeMap<OrderId, Balance>,
	payouts: &mut BTreeMap<OrderId, Payouts>,
	seen: &mut BTreeSet<Resolution>,
) -> u32 {
	let mut resolved = 0;
	let mut unfrozen: BTreeSet<OrderId> = BTreeSet::new();
	let mut settled: BTreeSet<(DisputeId, AccountId)> = BTreeSet::new();
	// The dispute a deposit event is about, and the deposits the side of `who` held in it.
	let deposits_of = |dispute_id: DisputeId, who: AccountId| {
		let d = before.get(&dispute_id).expect("a deposit of a dispute open before the step");
		let side = d.side_of(&who).expect("deposits belong to a party");
		(d, side, d.deposits_of(side))
	};
	for record in System::events() {
		match record.event {
			RuntimeEvent::Orders(pallet_orders::Event::OrderFrozen {
				order_id, amount, ..
			}) => {
				frozen_at.insert(order_id, amount);
				payouts.insert(order_id, Payouts::default());
			},
			RuntimeEvent::Orders(pallet_orders::Event::OrderUnfrozen { order_id }) => {
				// Nothing was paid while frozen; from now on the order's own rules pay it out.
				let p = payouts.remove(&order_id).expect("an unfrozen order was frozen");
				assert_eq!((p.refunded, p.released_gross), (0, 0), "escrow paid a frozen order");
				unfrozen.insert(order_id);
			},
			RuntimeEvent::Escrow(pallet_escrow::Event::Refunded { order_id, amount, .. }) => {
				if let Some(p) = payouts.get_mut(&order_id) {
					p.refunded += amount;
				}
			},
			RuntimeEvent::Escrow(pallet_escrow::Event::Released {
				order_id,
				gross,
				fee,
				net,
				..
			}) => {
				assert_eq!(net + fee, gross, "payout does not split exactly");
				if let Some(p) = payouts.get_mut(&order_id) {
					p.released_gross += gross;
				}
			},
			RuntimeEvent::Disputes(Event::DepositReturned { dispute_id, who, amount }) => {
				let (_, _, held) = deposits_of(dispute_id, who);
				assert_eq!(amount, held, "a deposit returned in part");
				assert!(settled.insert((dispute_id, who)), "a deposit settled twice");
			},
			RuntimeEvent::Disputes(Event::DepositForfeited {
				dispute_id,
				who,
				held_in,
				arbiter,
				to_arbiter,
				to_platform,
				winner,
				to_winner,
			}) => {
				let (d, side, held) = deposits_of(dispute_id, who);
				assert_eq!(held_in, held.held_in, "the forfeit names another currency");
				assert_eq!(to_arbiter + to_platform, held.native, "flat part not paid to the unit");
				assert!(to_arbiter <= d.arbiter_fee, "the arbiter got more than its fee");
				assert!(arbiter.is_some() || to_arbiter == 0, "an arbiter fee without an arbiter");
				assert_eq!(winner, *d.account(side.other()), "the stake went to the wrong side");
				assert_eq!(to_winner, held.stake, "the stake not paid to the unit");
				assert!(settled.insert((dispute_id, who)), "a deposit settled twice");
			},
			RuntimeEvent::Disputes(Event::Resolved {
				dispute_id,
				order_id,
				reference,
				resolution,
				frozen,
				refund,
				merchant_gross,
				compensation,
			}) => {
				resolved += 1;
				seen.insert(resolution);
				assert!(before.contains_key(&dispute_id), "resolved a dispute not open");
				assert_eq!(
					reference,
					entrepot_primitives::legacy_reference(order_id),
					"resolved with another order's reference"
				);
				assert!(!DisputeStore::<Test>::contains_key(dispute_id), "resolved, still open");
				if frozen_at.contains_key(&order_id)
					&& !matches!(resolution, Resolution::Compensation | Resolution::NoDecision)
				{
					assert_eq!(frozen_at.remove(&order_id), Some(frozen));
					assert_eq!(compensation, 0);
					if resolution == Resolution::Undecided {
						// Nothing paid by the dispute: the order went back to its own rules.
						assert_eq!((refund, merchant_gross), (0, 0), "undecided, yet paid");
						assert!(unfrozen.contains(&order_id), "undecided order not unfrozen");
					} else {
						let p = payouts.remove(&order_id).expect("frozen order has books");
						assert!(refund <= frozen, "refund above the frozen amount");
						assert_eq!(refund + merchant_gross, frozen, "refund + merchant != frozen");
						assert_eq!(p.refunded, refund, "escrow refunded another amount");
						assert_eq!(
							p.released_gross, merchant_gross,
							"escrow released another amount"
						);
					}
				} else {
					assert_eq!((frozen, refund, merchant_gross), (0, 0, 0));
				}
			},
			_ => {},
		}
	}
	// Every dispute that ended settled the deposits of both sides (those it held).
	for (id, d) in before {
		if !DisputeStore::<Test>::contains_key(id) {
			for side in [Side::Customer, Side::Merchant] {
				let who = *d.account(side);
				assert_eq!(
					settled.contains(&(*id, who)),
					!d.deposits_of(side).is_zero(),
					"dispute {id} ended without settling the deposit of {who}"
				);
			}
		}
	}
	resolved
}

/// Mostly an open dispute, sometimes any id (gone or not yet used).
fn random_dispute(rng: &mut Rng) -> DisputeId {
	let open: Vec<DisputeId> = DisputeStore::<Test>::iter_keys().collect();
	if open.is_empty() || rng.below(6) == 0 {
		rng.below(crate::NextDisputeId::<Test>::get() + 1)
	} else {
		rng.pick(&open)
	}
}

/// Mostly an open dispute in a stage `wanted` accepts, else [`random_dispute`].
fn dispute_in(rng: &mut Rng, wanted: fn(&Stage<Test>) -> bool) -> DisputeId {
	let open: Vec<DisputeId> = DisputeStore::<Test>::iter()
		.filter(|(_, d)| wanted(&d.stage))
		.map(|(id, _)| id)
		.collect();
	if open.is_empty() || rng.below(5) == 0 {
		random_dispute(rng)
	} else {
		rng.pick(&open)
	}
}

/// Mostly an open order, sometimes any id.
fn random_order(rng: &mut Rng) -> OrderId {
	let open: Vec<OrderId> = pallet_orders::Orders::<Test>::iter_keys().collect();
	if open.is_empty() || rng.below(6) == 0 {
		rng.below(pallet_orders::NextOrderId::<Test>::get() + 1)
	} else {
		rng.pick(&open)
	}
}

/// Mostly a party of the dispute (or of the order), sometimes anybody.
fn random_party(rng: &mut Rng, parties: Option<(AccountId, AccountId)>) -> AccountId {
	match parties {
		Some((customer, merchant)) if rng.below(5) > 0 => rng.pick(&[customer, merchant]),
		_ => rng.pick(&[ALICE, BOB, CHARLIE, DAVE, ARB1]),
	}
}

fn parties_of_dispute(id: DisputeId) -> Option<(AccountId, AccountId)> {
	Disputes::dispute(id).map(|d| (d.customer, d.merchant))
}

/// Mostly the side a ruling does not favour, sometimes anybody.
fn random_appellant(rng: &mut Rng, id: DisputeId) -> AccountId {
	match Disputes::dispute(id) {
		Some(d) if rng.below(5) > 0 => match d.stage {
			Stage::Ruled { refund, .. } => *d.account(d.favoured_by(refund).other()),
			_ => d.customer,
		},
		_ => rng.pick(&[ALICE, BOB, CHARLIE, DAVE]),
	}
}

/// Mostly the dispute's assigned arbiter, sometimes any arbiter or party.
fn random_arbiter(rng: &mut Rng, id: DisputeId) -> AccountId {
	match Disputes::dispute(id).map(|d| d.stage) {
		Some(Stage::Arbitration { arbiter, .. }) if rng.below(5) > 0 => arbiter,
		_ => rng.pick(&[ARB1, ARB2, ARB3, DAVE, CHARLIE, BOB]),
	}
}

fn frozen_of(id: DisputeId) -> Balance {
	// Platform disputes froze nothing: their "refund" is a compensation of up to the fees
	// taken on the order.
	Disputes::dispute(id).map_or(1_000, |d: DisputeOf<Test>| {
		if d.frozen > 0 {
			d.frozen
		} else {
			Disputes::compensation_cap(&d).max(1)
		}
	})
}

#[test]
fn random_dispute_actions_and_deadlines_keep_every_money_rule() {
	new_test_ext().execute_with(|| {
		register(BOB);
		assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(CHARLIE), policy()));
		// The fee account can pay some compensations; DAVE is an arbiter too (never for his
		// own disputes).
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&ALICE,
			&FEE,
			5_000,
			Preservation::Preserve
		));
		add_arbiters(&[ARB1, ARB2, DAVE]);
		let start = issuances();
		let customers = [ALICE, DAVE];
		let merchants = [BOB, CHARLIE];
		let arbiters = [ARB1, ARB2, ARB3, DAVE, CHARLIE];
		let kinds = [DisputeKind::Agreement, DisputeKind::AfterSales, DisputeKind::Platform];
		let mut rng = Rng(0xD15F_07E5_0000_0001);
		let mut frozen_at: BTreeMap<OrderId, Balance> = BTreeMap::new();
		let mut payouts: BTreeMap<OrderId, Payouts> = BTreeMap::new();
		let mut seen: BTreeSet<Resolution> = BTreeSet::new();
		let (mut ok, mut resolved) = (0u32, 0u32);

		for _ in 0..5_000 {
			System::reset_events();
			let before: BTreeMap<DisputeId, DisputeOf<Test>> =
				DisputeStore::<Test>::iter().collect();
			let next_order = pallet_orders::NextOrderId::<Test>::get();
			let order = random_order(&mut rng);
			let order_parties =
				pallet_orders::Orders::<Test>::get(order).map(|o| (o.customer, o.merchant));
			let id = random_dispute(&mut rng);
			let who = random_party(&mut rng, parties_of_dispute(id));
			let refund = rng.below(frozen_of(id) as u64 * 6 / 5 + 1) as Balance;
			let result = match rng.below(21) {
				0 | 1 => {
					// A new shipped order (sometimes left unshipped).
					let id = next_order;
					let customer = rng.pick(&customers);
					let merchant = rng.pick(&merchants);
					let placed = Orders::place_order(
						RuntimeOrigin::signed(customer),
						merchant,
						rng.pick(&[USDX, USDX, ENT]),
						items(1 + rng.below(3) as u32, 100 + rng.below(900) as Balance),
						rng.below(50) as Balance,
						H256::repeat_byte(3),
						None,
						pallet_orders::PaymentMode::Escrow,
						H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
					);
					if placed.is_ok() && rng.below(4) > 0 {
						Orders::mark_shipped(RuntimeOrigin::signed(merchant), id, H256::zero())
					} else {
						placed
					}
				},
				2 => Orders::confirm_receipt(
					RuntimeOrigin::signed(order_parties.map_or(ALICE, |(customer, _)| customer)),
					order,
				),
				3 | 4 => {
					let kind = rng.pick(&kinds);
					// Mostly a reason of the kind, sometimes not.
					let reason = if rng.below(5) == 0 {
						rng.pick(&REASONS)
					} else {
						match kind {
							DisputeKind::Agreement => DisputeReason::NotAsDescribed,
							DisputeKind::AfterSales => DisputeReason::MissingParts,
							DisputeKind::Platform => DisputeReason::WrongFee,
						}
					};
					Disputes::open_dispute(
						RuntimeOrigin::signed(random_party(&mut rng, order_parties)),
						order,
						kind,
						reason,
						H256::repeat_byte(rng.below(255) as u8),
					)
				},
				5 => Disputes::submit_evidence(
					RuntimeOrigin::signed(who),
					id,
					H256::repeat_byte(rng.below(255) as u8),
				),
				6 | 7 => Disputes::propose_settlement(RuntimeOrigin::signed(who), id, refund),
				8 => Disputes::accept_settlement(RuntimeOrigin::signed(who), id),
				9 => Disputes::escalate(RuntimeOrigin::signed(who), id),
				10 | 11 => {
					let id = dispute_in(&mut rng, |s| matches!(s, Stage::Arbitration { .. }));
					let refund = rng.below(frozen_of(id) as u64 * 6 / 5 + 1) as Balance;
					Disputes::rule(RuntimeOrigin::signed(random_arbiter(&mut rng, id)), id, refund)
				},
				12 | 13 => {
					let id = dispute_in(&mut rng, |s| matches!(s, Stage::Ruled { .. }));
					Disputes::appeal(RuntimeOrigin::signed(random_appellant(&mut rng, id)), id)
				},
				// Governance is slow: some appeals run out of time.
				14 if rng.below(2) == 0 => {
					let id = dispute_in(&mut rng, |s| {
						matches!(s, Stage::Appealed { .. } | Stage::AwaitingGovernance { .. })
					});
					let amount = rng.below(frozen_of(id) as u64 * 6 / 5 + 1) as Balance;
					Disputes::decide(RuntimeOrigin::root(), id, amount)
				},
				15 => {
					let who = rng.pick(&arbiters);
					if rng.below(2) == 0 {
						Disputes::add_arbiter(RuntimeOrigin::root(), who)
					} else {
						Disputes::remove_arbiter(RuntimeOrigin::root(), who)
					}
				},
				// Refund steps: the only state a merchant may dispute an order in.
				16 => Orders::request_refund(
					RuntimeOrigin::signed(order_parties.map_or(ALICE, |(customer, _)| customer)),
					order,
					1 + rng.below(1_200) as Balance,
					rng.below(2) == 0,
					pallet_orders::RefundReason::Damaged,
				),
				17 => {
					let merchant = RuntimeOrigin::signed(order_parties.map_or(BOB, |(_, m)| m));
					if rng.below(2) == 0 {
						Orders::accept_refund(merchant, order)
					} else {
						Orders::reject_refund(merchant, order)
					}
				},
				// Anybody fires a deadline (mostly not due: the hooks keep up).
				18 => {
					Disputes::poke(RuntimeOrigin::signed(who), id).map(|_| ()).map_err(|e| e.error)
				},
				_ => {
					run_to_block(System::block_number() + 1 + rng.below(6));
					Ok(())
				},
			};
			if result.is_ok() {
				ok += 1;
			}
			resolved += audit_events(&before, &mut frozen_at, &mut payouts, &mut seen);
			check_invariants();
			check_deposits();
			assert_eq!(issuances(), start, "money was minted or burned");
		}
		// Drain every deadline and timer: every dispute ends, nothing stays held or locked.
		for _ in 0..40 {
			System::reset_events();
			let before: BTreeMap<DisputeId, DisputeOf<Test>> =
				DisputeStore::<Test>::iter().collect();
			run_to_block(System::block_number() + 10);
			resolved += audit_events(&before, &mut frozen_at, &mut payouts, &mut seen);
			check_invariants();
			check_deposits();
		}
		assert_eq!(DisputeStore::<Test>::iter().count(), 0, "disputes left open");
		assert!(frozen_at.is_empty(), "frozen orders never resolved: {frozen_at:?}");
		assert_eq!(pallet_orders::Orders::<Test>::iter().count(), 0, "orders left open");
		assert_eq!(Escrow::total_locked(ENT) + Escrow::total_locked(USDX), 0);
		assert_eq!((held(ENT), held(USDX)), (0, 0));
		assert_eq!(TotalDeposits::<Test>::iter().count(), 0);
		assert_eq!(issuances(), start, "money was minted or burned");
		// Every way a dispute can end: settlement, ruling, appeal, ruling stands, governance,
		// undecided, compensation, no decision.
		assert!(
			ok > 1_500 && resolved > 150 && seen.len() == 8,
			"too few successful steps: {ok} ok, {resolved} resolved, seen {seen:?}"
		);
	});
}
