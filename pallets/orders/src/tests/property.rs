//! Property test: thousands of random calls by random accounts (many of them invalid), random
//! block advances (firing timers in `on_initialize`, and in some blocks with `on_idle` too),
//! stalls (blocks whose hooks never ran) and pokes of overdue deadlines. After every step: both
//! pallets' `try_state`, total issuance of each currency unchanged, and, from the escrow's
//! events, every payout splits exactly (`net + fee == gross`) and every closed escrow paid out
//! exactly what was locked (`customer + merchant + fees == amount paid`, forfeits counting as
//! fees).

use super::*;
use entrepot_dev::Rng;
use std::collections::BTreeMap;

#[derive(Default, Debug)]
struct Books {
	locked: Balance,
	refunded: Balance,
	net: Balance,
	fees: Balance,
}

fn issuances() -> (Balance, Balance) {
	(
		<Currencies as Inspect<_>>::total_issuance(ENT),
		<Currencies as Inspect<_>>::total_issuance(USDX),
	)
}

fn audit_events(books: &mut BTreeMap<OrderId, Books>, closed: &mut u32) {
	for e in escrow_events() {
		// Every movement names its order's reference (this test's orders carry their id's).
		let named = match &e {
			pallet_escrow::Event::Locked { order_id, reference, .. }
			| pallet_escrow::Event::Refunded { order_id, reference, .. }
			| pallet_escrow::Event::Released { order_id, reference, .. }
			| pallet_escrow::Event::DirectPaid { order_id, reference, .. }
			| pallet_escrow::Event::Forfeited { order_id, reference, .. }
			| pallet_escrow::Event::Closed { order_id, reference, .. } => Some((*order_id, *reference)),
			_ => None,
		};
		if let Some((order_id, reference)) = named {
			assert_eq!(reference, H256::from_low_u64_be(order_id), "an escrow event's reference");
		}
		match e {
			pallet_escrow::Event::Locked { order_id, amount, .. } => {
				books.entry(order_id).or_default().locked = amount;
			},
			pallet_escrow::Event::Refunded { order_id, amount, .. } => {
				books.entry(order_id).or_default().refunded += amount;
			},
			pallet_escrow::Event::Released { order_id, gross, fee, net, .. } => {
				assert_eq!(net + fee, gross, "payout does not split exactly");
				let b = books.entry(order_id).or_default();
				b.net += net;
				b.fees += fee;
			},
			pallet_escrow::Event::DirectPaid { gross, fee, net, .. } => {
				assert_eq!(net + fee, gross, "direct payment does not split exactly");
			},
			pallet_escrow::Event::Closed {
				order_id,
				amount,
				refunded,
				released_gross,
				fees,
				..
			} => {
				let b = books.remove(&order_id).expect("closed escrow was locked");
				assert_eq!(b.locked, amount);
				assert_eq!(b.refunded, refunded);
				assert_eq!(b.net + b.fees, released_gross);
				assert_eq!(b.fees, fees);
				assert_eq!(
					b.refunded + b.net + b.fees,
					b.locked,
					"customer + merchant + fee != paid"
				);
				*closed += 1;
			},
			pallet_escrow::Event::Forfeited { order_id, amount, .. } => {
				books.entry(order_id).or_default().fees += amount;
			},
			pallet_escrow::Event::PlatformFeeSet { .. } => {},
			pallet_escrow::Event::Compensated { .. } => panic!("orders never compensates"),
		}
	}
}

#[test]
fn random_calls_and_timers_keep_every_money_rule() {
	new_test_ext().execute_with(|| {
		register(BOB);
		assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(CHARLIE), policy()));
		let start = issuances();
		let accounts = [ALICE, BOB, CHARLIE, DAVE];
		let reasons = [RefundReason::Damaged, RefundReason::NotReceived, RefundReason::Other];
		let mut rng = Rng(0x5EED_CAFE_F00D_0001);
		let mut books: BTreeMap<OrderId, Books> = BTreeMap::new();
		let (mut ok, mut closed, mut poked) = (0u32, 0u32, 0u32);

		for _ in 0..4_000 {
			System::reset_events();
			let who = RuntimeOrigin::signed(rng.pick(&accounts));
			let next = NextOrderId::<Test>::get();
			let id = rng.below(next + 1);
			let result = match rng.below(16) {
				0 | 1 => Orders::place_order(
					who,
					rng.pick(&[BOB, CHARLIE, ALICE]),
					rng.pick(&[ENT, USDX, USDX, EURX]),
					items(rng.below(4) as u32, rng.below(600) as Balance),
					rng.below(50) as Balance,
					H256::repeat_byte(3),
					None,
					rng.pick(&[PaymentMode::Escrow, PaymentMode::Escrow, PaymentMode::Direct]),
					H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
				),
				2 => Orders::cancel_order(who, id),
				3 => Orders::reject_order(who, id),
				4 => Orders::mark_shipped(who, id, H256::repeat_byte(4)),
				5 => Orders::confirm_receipt(who, id),
				6 => Orders::request_refund(
					who,
					id,
					rng.below(1_200) as Balance,
					rng.below(2) == 0,
					rng.pick(&reasons),
				),
				7 => Orders::accept_refund(who, id),
				8 => Orders::reject_refund(who, id),
				9 => Orders::mark_returned(who, id, H256::repeat_byte(5)),
				10 => Orders::confirm_return(who, id),
				11 => {
					// Mostly an overdue order, if there is one.
					let now = System::block_number();
					let overdue = TimerAt::<Test>::iter().find(|(_, at)| *at <= now);
					let id = match overdue {
						Some((overdue, _)) if rng.below(4) > 0 => overdue,
						_ => id,
					};
					let result = Orders::poke(who, id);
					poked += u32::from(result.is_ok());
					result.map(|_| ()).map_err(|e| e.error)
				},
				// The chain stalls: blocks pass without their hooks, deadlines fall overdue.
				12 => {
					System::set_block_number(System::block_number() + 1 + rng.below(30));
					Ok(())
				},
				13 => {
					run_to_block_with_idle(System::block_number() + 1 + rng.below(8));
					Ok(())
				},
				_ => {
					run_to_block(System::block_number() + 1 + rng.below(8));
					Ok(())
				},
			};
			if result.is_ok() {
				ok += 1;
			}
			audit_events(&mut books, &mut closed);
			check_invariants();
			assert_eq!(issuances(), start, "escrow minted or burned");
		}
		// Drain every timer: all orders end, nothing stays locked.
		run_to_block(System::block_number() + 200);
		audit_events(&mut books, &mut closed);
		check_invariants();
		assert_eq!(OrderStore::<Test>::iter().count(), 0);
		assert!(books.is_empty(), "escrows left open: {books:?}");
		assert_eq!(Escrow::total_locked(ENT) + Escrow::total_locked(USDX), 0);
		assert!(
			ok > 500 && closed > 100 && poked > 5,
			"too few successful steps: {ok} ok, {closed} closed, {poked} poked"
		);
	});
}
