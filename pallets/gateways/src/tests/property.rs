//! Property test: thousands of random calls by random accounts (many of them invalid: the wrong
//! gateway, the wrong status, amounts over every limit, reused references) and random block
//! advances. After every step: `try_state` (each stablecoin's supply is what its gateways have
//! outstanding; the issuer account holds exactly the open requests), a failed call changed no
//! storage at all, and, from the events, each stablecoin's supply is its genesis supply plus the
//! deposits minus the completed withdrawals.

use super::*;
use crate::{AssetId, Balance, Call, Withdrawals};
use entrepot_dev::Rng;
use frame_support::traits::GetCallMetadata;
use sp_runtime::traits::Dispatchable;
use std::collections::BTreeMap;

const ACCOUNTS: [AccountId; 5] = [ALICE, BOB, 3, BANK, OTHER_BANK];

fn storage_root() -> Vec<u8> {
	sp_io::storage::root(sp_runtime::StateVersion::V1)
}

/// A random call and its signer: a gateway most of the time for a gateway's calls (sometimes
/// the other gateway, or an account that is none), any account for an account's calls.
fn random_call(rng: &mut Rng) -> Option<(RuntimeCall, AccountId)> {
	let amount = rng.pick(&[0, 5, 10, 50, 50, 120, 120, 400, 2_000]);
	// Mostly an open request, sometimes any id (closed or never made).
	let open: Vec<WithdrawalId> = Withdrawals::<Test>::iter_keys().collect();
	let id = if open.is_empty() || rng.below(4) == 0 {
		rng.below(NextWithdrawalId::<Test>::get() + 2)
	} else {
		rng.pick(&open)
	};
	let reason: Reason = b"r".to_vec().try_into().expect("short");
	let destination = H256::repeat_byte(rng.pick(&[0xaa, 0xbb]));
	let gateway_signer = rng.pick(&[BANK, BANK, OTHER_BANK, OTHER_BANK, ALICE]);
	let account_signer = rng.pick(&[ALICE, ALICE, BOB, BOB, 3]);
	let call = match rng.below(12) {
		0 | 1 => RuntimeCall::Gateways(Call::deposit {
			beneficiary: rng.pick(&ACCOUNTS),
			amount,
			reference: H256::repeat_byte(rng.below(20) as u8),
		}),
		2 => RuntimeCall::Gateways(Call::attest_reserves {
			amount: rng.pick(&[500, 2_000, 5_000]),
			document: H256::zero(),
		}),
		3 => RuntimeCall::Gateways(Call::register_destination {
			who: rng.pick(&[ALICE, ALICE, BOB, BOB, 3]),
			destination,
		}),
		4 | 5 => RuntimeCall::Gateways(Call::request_withdrawal {
			gateway: rng.pick(&[BANK, BANK, OTHER_BANK, OTHER_BANK, ALICE]),
			amount,
			destination,
		}),
		6 => RuntimeCall::Gateways(Call::start_withdrawal { id }),
		7 => RuntimeCall::Gateways(Call::complete_withdrawal { id, payout: H256::zero() }),
		8 => RuntimeCall::Gateways(Call::refund_withdrawal { id, reason }),
		9 => RuntimeCall::Gateways(Call::fail_withdrawal { id, reason }),
		10 => RuntimeCall::Gateways(Call::cancel_withdrawal { id }),
		_ => return None,
	};
	let signer = match call {
		RuntimeCall::Gateways(Call::request_withdrawal { .. } | Call::cancel_withdrawal { .. }) => {
			account_signer
		},
		_ => gateway_signer,
	};
	Some((call, signer))
}

#[test]
fn random_calls_keep_supply_equal_to_deposits_minus_completed_withdrawals() {
	let mut succeeded: BTreeMap<&'static str, u32> = BTreeMap::new();
	for seed in 1..=8u64 {
		new_test_ext().execute_with(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
			let mut expected: BTreeMap<AssetId, Balance> =
				[(USD, GENESIS_BALANCE), (EUR, GENESIS_BALANCE)].into();
			for step in 0..1_000 {
				System::reset_events();
				let Some((call, signer)) = random_call(&mut rng) else {
					// Now and then governance acts, or time passes.
					match rng.below(8) {
						0 => {
							let g = rng.pick(&[BANK, OTHER_BANK]);
							let _ = Gateways::suspend_gateway(RuntimeOrigin::root(), g);
						},
						1 | 2 => {
							let g = rng.pick(&[BANK, OTHER_BANK]);
							let _ = Gateways::resume_gateway(RuntimeOrigin::root(), g);
						},
						_ => go_to(System::block_number() + 1 + rng.below(30)),
					}
					Gateways::do_try_state().expect("invariants hold");
					continue;
				};
				let before = storage_root();
				let name = call.get_call_metadata().function_name;
				let result = call.dispatch(RuntimeOrigin::signed(signer));
				if result.is_err() {
					assert_eq!(storage_root(), before, "step {step}: a failed call changed state");
				} else {
					*succeeded.entry(name).or_default() += 1;
				}
				for record in System::events() {
					match record.event {
						RuntimeEvent::Gateways(Event::Deposited { asset, amount, .. }) => {
							*expected.get_mut(&asset).expect("a stablecoin") += amount;
						},
						RuntimeEvent::Gateways(Event::WithdrawalCompleted {
							asset,
							amount,
							..
						}) => {
							*expected.get_mut(&asset).expect("a stablecoin") -= amount;
						},
						_ => {},
					}
				}
				for (asset, supply) in &expected {
					assert_eq!(Assets::total_issuance(*asset), *supply, "step {step}");
				}
				Gateways::do_try_state().expect("invariants hold");
			}
		});
	}
	// The run reached every call, not only its errors.
	for name in [
		"deposit",
		"attest_reserves",
		"register_destination",
		"request_withdrawal",
		"start_withdrawal",
		"complete_withdrawal",
		"refund_withdrawal",
		"fail_withdrawal",
		"cancel_withdrawal",
	] {
		let n = succeeded.get(name).copied().unwrap_or_default();
		assert!(n >= 10, "{name} succeeded {n} times: {succeeded:?}");
	}
}
