//! Fuzzing the product pallets together in the real runtime (issue 16): random calls of orders,
//! disputes, loyalty, gateways and plain transfers, by random accounts (merchants, customers,
//! arbiters, a gateway), about random orders, disputes and requests (open, closed or never
//! made), with random amounts, at random blocks, with every pallet's hooks run in every block.
//!
//! After every call and every block:
//! - every product pallet's `try_state` (orders, escrow, disputes, loyalty, gateways);
//! - a call that failed changed no storage at all (the state root is compared);
//! - `ENT`'s total issuance is unchanged (calls are dispatched without fees, and nothing else
//!   may mint or burn it);
//! - each stablecoin's supply moved only by its gateways' `Deposited` and `WithdrawalCompleted`
//!   events.
//!
//! `ENTREPOT_FUZZ_CALLS` (default 3 000, the CI size) and `ENTREPOT_FUZZ_SEED` (default 1) set
//! the run: `scripts/fuzz.sh` runs a long one.

use super::*;
use entrepot_dev::Rng;
use entrepot_primitives::{CurrencyId, NativeOrWithId, PaymentMode};
use frame_support::{traits::GetCallMetadata, BoundedVec};
use pallet_disputes::{DisputeKind, DisputeReason};
use pallet_orders::{LineItem, MerchantPolicy, RefundReason};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{self, Dave, Eve, Ferdie, One};
use sp_runtime::{traits::Dispatchable, Permill};
use std::collections::BTreeMap;

const MERCHANTS: [Sr25519Keyring; 2] = [Bob, Charlie];
const EVERYONE: [Sr25519Keyring; 7] = [Alice, Bob, Charlie, Dave, Eve, Ferdie, One];

fn currencies() -> [CurrencyId; 3] {
	[NativeOrWithId::Native, NativeOrWithId::WithId(USDX), NativeOrWithId::WithId(CNYX)]
}

/// A price in `currency`: a few whole units (ENT has 12 decimals, the stablecoins 6).
fn unit(currency: &CurrencyId) -> Balance {
	match currency {
		NativeOrWithId::Native => UNITS,
		_ => STABLECOIN_UNIT,
	}
}

/// Governance allows one-block windows; Bob and Charlie sell in every currency with short
/// windows, a holdback and a loyalty share; `//One`, the USDX gateway, registers a payout
/// destination for everyone and attests ample reserves.
fn set_up() {
	let mut bounds = crate::configs::orders::DefaultPolicyBounds::get();
	for window in [
		&mut bounds.ship_within,
		&mut bounds.auto_confirm_after,
		&mut bounds.refund_response_within,
		&mut bounds.return_window,
		&mut bounds.after_sales_window,
	] {
		window.min = 1;
	}
	assert_ok!(Orders::set_policy_bounds(RuntimeOrigin::root(), bounds));
	for merchant in MERCHANTS {
		let policy = MerchantPolicy::<Runtime> {
			currencies: BoundedVec::truncate_from(currencies().to_vec()),
			ship_within: 20,
			auto_confirm_after: 30,
			refund_response_within: 10,
			return_window: 15,
			after_sales_window: 30,
			holdback: Permill::from_percent(10),
			loyalty_share: Permill::from_percent(10),
		};
		assert_ok!(Orders::register_merchant(signed(merchant), policy));
	}
	for who in EVERYONE {
		assert_ok!(Gateways::register_destination(
			signed(One),
			who.to_account_id(),
			H256::repeat_byte(0xde)
		));
	}
	assert_ok!(Gateways::attest_reserves(signed(One), Balance::MAX / 4, H256::repeat_byte(1)));
}

/// Most of the time one of `open` (the ids of what is open now), otherwise any id up to just
/// above `next` (closed, or never made).
fn id(rng: &mut Rng, open: Vec<u64>, next: u64) -> u64 {
	if !open.is_empty() && rng.below(6) > 0 {
		rng.pick(&open)
	} else {
		rng.below(next + 2)
	}
}

/// The dev key of `who`, if it is one of [`EVERYONE`].
fn keyring(who: &AccountId) -> Option<Sr25519Keyring> {
	EVERYONE.into_iter().find(|k| &k.to_account_id() == who)
}

/// The merchant (`Some(true)`), the customer (`Some(false)`) or either (`None`) of an order.
fn party(order: u64, merchant: Option<bool>) -> Option<Sr25519Keyring> {
	let order = Orders::order(order)?;
	let merchant = merchant.unwrap_or(order.total % 2 == 0);
	keyring(if merchant { &order.merchant } else { &order.customer })
}

/// A random call and its signer.
fn random_call(rng: &mut Rng) -> (RuntimeCall, Sr25519Keyring) {
	let signer = rng.pick(&EVERYONE);
	let order = id(
		rng,
		pallet_orders::Orders::<Runtime>::iter_keys().collect(),
		pallet_orders::NextOrderId::<Runtime>::get(),
	);
	let dispute = id(
		rng,
		pallet_disputes::Disputes::<Runtime>::iter_keys().collect(),
		pallet_disputes::NextDisputeId::<Runtime>::get(),
	);
	let withdrawal = id(
		rng,
		pallet_gateways::Withdrawals::<Runtime>::iter_keys().collect(),
		pallet_gateways::NextWithdrawalId::<Runtime>::get(),
	);
	let currency = rng.pick(&currencies());
	let amount = unit(&currency) * rng.pick(&[0, 1, 2, 5, 20, 200]) / rng.pick(&[1, 1, 3]);
	let hash = H256::repeat_byte(rng.below(256) as u8);
	let reason: pallet_gateways::Reason = b"fuzz".to_vec().try_into().expect("short");
	let call = match rng.below(25) {
		0 | 1 => {
			let items = (0..1 + rng.below(3))
				.map(|i| LineItem {
					product: H256::repeat_byte(i as u8),
					quantity: rng.pick(&[0, 1, 1, 2, 3]),
					unit_price: unit(&currency) * rng.pick(&[0, 1, 4, 30]),
				})
				.collect::<Vec<_>>();
			let merchant = rng.pick(&MERCHANTS).to_account_id();
			let freight = unit(&NativeOrWithId::WithId(USDX)) * rng.below(3) as Balance;
			// References repeat now and then: a resubmitted checkout must be refused.
			let reference = H256::from_low_u64_be(rng.below(40));
			if rng.below(3) == 0 {
				// Paid in another currency through the genesis pools, with a maximum and an
				// expiry that are sometimes too low or already past.
				let pay_currency = rng.pick(&currencies());
				let now = frame_system::Pallet::<Runtime>::block_number();
				RuntimeCall::Orders(pallet_orders::Call::place_order_exchanged {
					merchant,
					currency,
					items: BoundedVec::truncate_from(items),
					freight,
					details_hash: hash,
					encrypted_details: None,
					reference,
					max_pay: unit(&pay_currency) * rng.pick(&[1, 100, 100_000]),
					pay_currency,
					quote_expires: now + rng.below(12) as u32 - 1,
				})
			} else {
				RuntimeCall::Orders(pallet_orders::Call::place_order {
					merchant,
					currency,
					items: BoundedVec::truncate_from(items),
					freight,
					details_hash: hash,
					encrypted_details: None,
					mode: if rng.below(5) == 0 { PaymentMode::Direct } else { PaymentMode::Escrow },
					reference,
				})
			}
		},
		2 | 3 => RuntimeCall::Orders(pallet_orders::Call::confirm_receipt { order_id: order }),
		4 => RuntimeCall::Orders(pallet_orders::Call::cancel_order { order_id: order }),
		5 => RuntimeCall::Orders(pallet_orders::Call::reject_order { order_id: order }),
		6 | 7 => RuntimeCall::Orders(pallet_orders::Call::mark_shipped {
			order_id: order,
			tracking: hash,
		}),
		8 => RuntimeCall::Orders(pallet_orders::Call::confirm_receipt { order_id: order }),
		9 => RuntimeCall::Orders(pallet_orders::Call::request_refund {
			order_id: order,
			amount,
			return_goods: rng.below(2) == 0,
			reason: rng.pick(&[
				RefundReason::NotReceived,
				RefundReason::NotAsDescribed,
				RefundReason::Damaged,
				RefundReason::WrongItem,
			]),
		}),
		10 => RuntimeCall::Orders(pallet_orders::Call::accept_refund { order_id: order }),
		11 => RuntimeCall::Orders(pallet_orders::Call::reject_refund { order_id: order }),
		12 => RuntimeCall::Orders(pallet_orders::Call::mark_returned {
			order_id: order,
			tracking: hash,
		}),
		13 => RuntimeCall::Orders(pallet_orders::Call::confirm_return { order_id: order }),
		14 | 23 => {
			let reason = rng.pick(&[
				DisputeReason::NotReceived,
				DisputeReason::NotAsDescribed,
				DisputeReason::Damaged,
				DisputeReason::Defective,
				DisputeReason::WarrantyRefused,
			]);
			// Now and then a kind the reason is not for.
			let kind = if rng.below(8) == 0 { DisputeKind::Agreement } else { reason.kind() };
			RuntimeCall::Disputes(pallet_disputes::Call::open_dispute {
				order_id: order,
				kind,
				reason,
				evidence: hash,
			})
		},
		15 => RuntimeCall::Disputes(pallet_disputes::Call::propose_settlement {
			dispute_id: dispute,
			refund: amount,
		}),
		16 => {
			RuntimeCall::Disputes(pallet_disputes::Call::accept_settlement { dispute_id: dispute })
		},
		17 => match rng.below(3) {
			0 => RuntimeCall::Disputes(pallet_disputes::Call::escalate { dispute_id: dispute }),
			1 => RuntimeCall::Disputes(pallet_disputes::Call::rule {
				dispute_id: dispute,
				refund: amount,
			}),
			_ => RuntimeCall::Disputes(pallet_disputes::Call::appeal { dispute_id: dispute }),
		},
		18 => RuntimeCall::Loyalty(pallet_loyalty::Call::review {
			order_id: order,
			rating: rng.pick(&[0, 1, 3, 5, 5, 6]),
			review_hash: hash,
		}),
		19 => RuntimeCall::Loyalty(pallet_loyalty::Call::redeem {
			order_id: order,
			amount: rng.pick(&[1, 1_000, 100_000, 10_000_000]),
		}),
		20 => RuntimeCall::Gateways(match rng.below(2) {
			0 => pallet_gateways::Call::deposit {
				beneficiary: rng.pick(&EVERYONE).to_account_id(),
				amount: STABLECOIN_UNIT * rng.pick(&[0, 1, 50, 200_000]),
				reference: hash,
			},
			_ => pallet_gateways::Call::request_withdrawal {
				gateway: rng.pick(&[One, Alice]).to_account_id(),
				amount: STABLECOIN_UNIT * rng.pick(&[0, 1, 5, 1_000_000]),
				destination: H256::repeat_byte(rng.pick(&[0xde, 0xad])),
			},
		}),
		21 => RuntimeCall::Gateways(match rng.below(4) {
			0 => pallet_gateways::Call::start_withdrawal { id: withdrawal },
			1 => pallet_gateways::Call::complete_withdrawal { id: withdrawal, payout: hash },
			2 => pallet_gateways::Call::refund_withdrawal { id: withdrawal, reason },
			_ => pallet_gateways::Call::cancel_withdrawal { id: withdrawal },
		}),
		22 => RuntimeCall::Assets(pallet_assets::Call::transfer {
			id: rng.pick(&[USDX, CNYX]).into(),
			target: rng.pick(&EVERYONE).to_account_id().into(),
			amount: STABLECOIN_UNIT * rng.pick(&[1, 100]),
		}),
		_ => RuntimeCall::Orders(pallet_orders::Call::poke { order_id: order }),
	};
	// Most calls are signed by who may make them: the gateway for its steps, an arbiter for a
	// ruling, the order's merchant or customer for its steps; the rest by anyone.
	let plausible = rng.below(5) > 0;
	let signer = match &call {
		RuntimeCall::Gateways(
			pallet_gateways::Call::deposit { .. }
			| pallet_gateways::Call::start_withdrawal { .. }
			| pallet_gateways::Call::complete_withdrawal { .. }
			| pallet_gateways::Call::refund_withdrawal { .. },
		) if plausible => One,
		RuntimeCall::Disputes(pallet_disputes::Call::rule { .. }) => rng.pick(&[Dave, Eve, Ferdie]),
		RuntimeCall::Orders(
			pallet_orders::Call::reject_order { .. }
			| pallet_orders::Call::mark_shipped { .. }
			| pallet_orders::Call::accept_refund { .. }
			| pallet_orders::Call::reject_refund { .. }
			| pallet_orders::Call::confirm_return { .. },
		) if plausible => party(order, Some(true)).unwrap_or(signer),
		RuntimeCall::Orders(
			pallet_orders::Call::cancel_order { .. }
			| pallet_orders::Call::confirm_receipt { .. }
			| pallet_orders::Call::request_refund { .. }
			| pallet_orders::Call::mark_returned { .. },
		)
		| RuntimeCall::Loyalty(_)
			if plausible =>
		{
			party(order, Some(false)).unwrap_or(signer)
		},
		RuntimeCall::Disputes(pallet_disputes::Call::open_dispute { .. }) if plausible => {
			party(order, None).unwrap_or(signer)
		},
		RuntimeCall::Disputes(_) if plausible => Disputes::dispute(dispute)
			.and_then(|d| {
				let who = if rng.below(2) == 0 { d.customer } else { d.merchant };
				keyring(&who)
			})
			.unwrap_or(signer),
		_ => signer,
	};
	(call, signer)
}

/// Every product pallet's invariants.
fn invariants(context: &str) {
	for (pallet, result) in [
		("orders", Orders::do_try_state()),
		("escrow", Escrow::do_try_state()),
		("disputes", Disputes::do_try_state()),
		("loyalty", Loyalty::do_try_state()),
		("gateways", Gateways::do_try_state()),
	] {
		if let Err(e) = result {
			panic!("{context}: {pallet} try_state failed: {e:?}");
		}
	}
}

fn supplies() -> BTreeMap<u32, Balance> {
	[USDX, CNYX].into_iter().map(|a| (a, Assets::total_issuance(a))).collect()
}

fn env(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_calls_of_every_product_pallet_keep_every_invariant() {
	let calls = env("ENTREPOT_FUZZ_CALLS", 3_000);
	let seed = env("ENTREPOT_FUZZ_SEED", 1);
	new_test_ext(LOCAL_PRESET).execute_with(|| {
		set_up();
		run_to_block(2);
		let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
		let ent = Balances::total_issuance();
		let mut expected = supplies();
		let mut succeeded: BTreeMap<(&'static str, &'static str), u64> = BTreeMap::new();
		for step in 0..calls {
			let context = format!("seed {seed}, step {step}");
			if rng.below(6) == 0 {
				run_to_block(System::block_number() + 1 + rng.below(6) as BlockNumber);
			} else {
				System::reset_events();
				let (call, signer) = random_call(&mut rng);
				let name = call.get_call_metadata();
				let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
				match call.clone().dispatch(signed(signer)) {
					Ok(_) => {
						*succeeded.entry((name.pallet_name, name.function_name)).or_default() += 1
					},
					Err(e) => assert_eq!(
						sp_io::storage::root(sp_runtime::StateVersion::V1),
						before,
						"{context}: {call:?} by {signer:?} failed ({e:?}) and changed state"
					),
				}
			}
			for record in System::events() {
				match record.event {
					RuntimeEvent::Gateways(pallet_gateways::Event::Deposited {
						asset,
						amount,
						..
					}) => *expected.entry(asset).or_default() += amount,
					RuntimeEvent::Gateways(pallet_gateways::Event::WithdrawalCompleted {
						asset,
						amount,
						..
					}) => *expected.entry(asset).or_default() -= amount,
					_ => {},
				}
			}
			System::reset_events();
			assert_eq!(Balances::total_issuance(), ent, "{context}: ENT issuance moved");
			assert_eq!(supplies(), expected, "{context}: a stablecoin's supply moved");
			invariants(&context);
		}
		println!("fuzz: {calls} steps, seed {seed}, to block {}", System::block_number());
		for ((pallet, call), n) in &succeeded {
			println!("fuzz: {pallet}.{call} succeeded {n} times");
		}
		// The run reached the money paths, not only their errors.
		for call in ["place_order", "mark_shipped", "confirm_receipt", "open_dispute", "review"] {
			assert!(
				succeeded.iter().any(|((_, c), n)| *c == call && *n > 0),
				"{call} never succeeded: {succeeded:?}"
			);
		}
	});
}
