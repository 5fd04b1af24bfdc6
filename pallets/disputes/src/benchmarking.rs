//! Benchmarks of the disputes pallet: one per call and one per deadline branch, each in its
//! worst case (the respondent engaging, the most arbiters to draw among, the heaviest outcome:
//! a real order resolved through orders and escrow, a losing side's deposits paying the arbiter
//! and the platform). Disputable orders come from [`Config::BenchmarkHelper`]. Every party
//! posts its deposits with no native token to spare, so they are valued at the reference
//! rates and held in the order's currency: the dearer path.

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use crate::Pallet as Disputes;
use entrepot_primitives::{DisputeScope, DisputesBenchmarkHelper, OrderDisputes};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungibles::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;

const SEED: u32 = 0;

fn customer<T: Config>() -> T::AccountId {
	account("customer", 0, SEED)
}

fn merchant<T: Config>() -> T::AccountId {
	account("merchant", 0, SEED)
}

/// Makes sure `who` holds the minimum balance of `currency`.
fn endow_in<T: Config>(who: &T::AccountId, currency: CurrencyId) {
	let minimum = T::Currencies::minimum_balance(currency.clone());
	if T::Currencies::balance(currency.clone(), who) < minimum {
		let _ = T::Currencies::mint_into(currency, who, minimum);
	}
}

/// Makes sure `who` exists, so that it can receive any part of a deposit.
fn endow<T: Config>(who: &T::AccountId) {
	endow_in::<T>(who, CurrencyId::Native);
}

/// Leaves `who` no native token to spare (what it had goes to a sink account), so that its
/// deposits take the dearer path: valued at the reference rates, held in the order's currency.
fn no_spare_native<T: Config>(who: &T::AccountId) {
	use frame_support::traits::tokens::{Fortitude, Preservation};
	let spare = T::Currencies::reducible_balance(
		CurrencyId::Native,
		who,
		Preservation::Preserve,
		Fortitude::Polite,
	);
	let sink: T::AccountId = account("sink", 0, SEED);
	T::Currencies::transfer(CurrencyId::Native, who, &sink, spare, Preservation::Preserve)
		.expect("the spare balance moves");
}

/// Makes sure this pallet's account can hold deposits of an order's currency.
fn endow_vault<T: Config>(order: OrderId) {
	let vault = Disputes::<T>::account_id();
	endow::<T>(&vault);
	if let Some((_, _, currency)) = T::Orders::parties(order) {
		endow_in::<T>(&vault, currency);
	}
}

/// Appoints [`Config::MaxArbiters`] arbiters (none of them a party), all able to receive.
fn full_arbiter_set<T: Config>() -> alloc::vec::Vec<T::AccountId> {
	let arbiters: alloc::vec::Vec<T::AccountId> =
		(0..T::MaxArbiters::get()).map(|i| account("arbiter", i, SEED)).collect();
	for a in &arbiters {
		endow::<T>(a);
	}
	endow::<T>(&T::PlatformAccount::get());
	Arbiters::<T>::put(BoundedVec::truncate_from(arbiters.clone()));
	arbiters
}

/// The customer disputes a fresh order of `kind`.
fn opened<T: Config>(kind: DisputeKind) -> (T::AccountId, T::AccountId, DisputeId) {
	let (customer, merchant) = (customer::<T>(), merchant::<T>());
	let scope = match kind {
		DisputeKind::AfterSales => DisputeScope::Holdback,
		_ => DisputeScope::Escrow,
	};
	let order = T::BenchmarkHelper::disputable_order(&customer, &merchant, scope);
	let reason = match kind {
		DisputeKind::Agreement => DisputeReason::NotAsDescribed,
		DisputeKind::AfterSales => DisputeReason::Defective,
		DisputeKind::Platform => DisputeReason::WrongFee,
	};
	endow::<T>(&T::PlatformAccount::get());
	endow_vault::<T>(order);
	no_spare_native::<T>(&customer);
	no_spare_native::<T>(&merchant);
	let id = NextDisputeId::<T>::get();
	Disputes::<T>::do_open_dispute(customer.clone(), order, kind, reason, H256::repeat_byte(1))
		.expect("the helper's order is disputable");
	(customer, merchant, id)
}

fn go_to<T: Config>(at: BlockNumberFor<T>) -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::set_block_number(at);
	at
}

/// The current deadline of a dispute, and the block it falls in.
fn deadline_of<T: Config>(id: DisputeId) -> (DeadlineKind, BlockNumberFor<T>) {
	Disputes::<T>::dispute(id).expect("open").deadline()
}

/// An agreement dispute the merchant escalated (engaging), with an arbiter drawn among a full
/// set. Returns the parties, the dispute and the arbiter.
fn in_arbitration<T: Config>() -> (T::AccountId, T::AccountId, DisputeId, T::AccountId) {
	full_arbiter_set::<T>();
	let (customer, merchant, id) = opened::<T>(DisputeKind::Agreement);
	Disputes::<T>::do_escalate(merchant.clone(), id).expect("escalates");
	let (kind, at) = deadline_of::<T>(id);
	Disputes::<T>::fire(id, kind, go_to::<T>(at)).expect("draws");
	let Stage::Arbitration { arbiter, .. } = Disputes::<T>::dispute(id).expect("open").stage else {
		panic!("no arbiter drawn");
	};
	(customer, merchant, id, arbiter)
}

/// The arbiter ruled for the merchant (nothing back): the customer is the losing side.
fn ruled<T: Config>() -> (T::AccountId, T::AccountId, DisputeId, T::AccountId) {
	let (customer, merchant, id, arbiter) = in_arbitration::<T>();
	Disputes::<T>::do_rule(arbiter.clone(), id, 0).expect("rules");
	(customer, merchant, id, arbiter)
}

fn appealed<T: Config>() -> (T::AccountId, T::AccountId, DisputeId, T::AccountId) {
	let (customer, merchant, id, arbiter) = ruled::<T>();
	Disputes::<T>::do_appeal(customer.clone(), id).expect("appeals");
	(customer, merchant, id, arbiter)
}

fn frozen_of<T: Config>(id: DisputeId) -> Balance {
	Disputes::<T>::dispute(id).expect("open").frozen
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open_dispute() {
		let (customer, merchant) = (customer::<T>(), merchant::<T>());
		let order =
			T::BenchmarkHelper::disputable_order(&customer, &merchant, DisputeScope::Escrow);
		endow_vault::<T>(order);
		no_spare_native::<T>(&customer);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(customer),
			order,
			DisputeKind::Agreement,
			DisputeReason::NotReceived,
			H256::repeat_byte(1),
		);

		let id = DisputeOfOrder::<T>::get(order).expect("opened");
		let deposit = Disputes::<T>::dispute(id).expect("open").customer_deposit;
		assert!(deposit.held_in.is_some(), "the deposit took the dearer path");
	}

	#[benchmark]
	fn submit_evidence() {
		// The respondent's first evidence engages it; the opener's side is full.
		let (customer, merchant, id) = opened::<T>(DisputeKind::Agreement);
		for i in 1..T::MaxEvidence::get() {
			Disputes::<T>::do_submit_evidence(customer.clone(), id, H256::repeat_byte(i as u8))
				.expect("room");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), id, H256::repeat_byte(0xEE));

		let dispute = Disputes::<T>::dispute(id).expect("open");
		assert!(dispute.respondent_engaged);
		assert!(dispute.merchant_deposit.held_in.is_some(), "the deposit took the dearer path");
	}

	#[benchmark]
	fn propose_settlement() {
		let (_, merchant, id) = opened::<T>(DisputeKind::Agreement);
		let refund = frozen_of::<T>(id) / 2;

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), id, refund);

		assert!(Disputes::<T>::dispute(id).expect("open").proposal.is_some());
	}

	#[benchmark]
	fn accept_settlement() {
		// In arbitration, both deposits held: the order is resolved, both deposits returned,
		// the arbiter's case closed.
		let (customer, merchant, id, _) = in_arbitration::<T>();
		let refund = frozen_of::<T>(id) / 2;
		Disputes::<T>::do_propose_settlement(customer, id, refund).expect("proposes");

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), id);

		assert!(Disputes::<T>::dispute(id).is_none());
	}

	#[benchmark]
	fn escalate() {
		let (_, merchant, id) = opened::<T>(DisputeKind::Agreement);

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), id);

		assert!(matches!(
			Disputes::<T>::dispute(id).expect("open").stage,
			Stage::AwaitingArbiter { .. }
		));
	}

	#[benchmark]
	fn rule() {
		let (_, _, id, arbiter) = in_arbitration::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(arbiter), id, 0);

		assert!(matches!(Disputes::<T>::dispute(id).expect("open").stage, Stage::Ruled { .. }));
	}

	#[benchmark]
	fn appeal() {
		let (customer, _, id, _) = ruled::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), id);

		assert!(matches!(Disputes::<T>::dispute(id).expect("open").stage, Stage::Appealed { .. }));
	}

	#[benchmark]
	fn decide() -> Result<(), BenchmarkError> {
		// An appeal governance decides for the appellant: the order is resolved, the customer's
		// deposits returned, the merchant's pay the arbiter and the platform.
		let origin =
			T::DecideOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (_, _, id, _) = appealed::<T>();
		let refund = frozen_of::<T>(id);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, refund);

		assert!(Disputes::<T>::dispute(id).is_none());
		Ok(())
	}

	#[benchmark]
	fn add_arbiter() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut arbiters = full_arbiter_set::<T>();
		let new = arbiters.pop().expect("MaxArbiters > 0");
		Arbiters::<T>::put(BoundedVec::truncate_from(arbiters));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone());

		assert!(Arbiters::<T>::get().contains(&new));
		Ok(())
	}

	#[benchmark]
	fn remove_arbiter() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let last = full_arbiter_set::<T>().pop().expect("MaxArbiters > 0");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, last.clone());

		assert!(!Arbiters::<T>::get().contains(&last));
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = T::DefaultParams::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		Ok(())
	}

	#[benchmark]
	fn poke() {
		// The heaviest deadline in general: a ruling executed through orders and escrow, the
		// losing side's deposits paying the arbiter, the platform and the winner.
		let (customer, _, id, _) = ruled::<T>();
		let (_, at) = deadline_of::<T>(id);
		go_to::<T>(at);

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), id);

		assert!(Disputes::<T>::dispute(id).is_none());
	}

	#[benchmark]
	fn deadline_stale() {
		// The dispute moved on (here: it is gone); the deadline is read and ignored.
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Disputes::<T>::process_deadline(
				DisputeId::MAX,
				Deadline::new(DeadlineKind::Response),
				now,
			);
		}
	}

	#[benchmark]
	fn deadline_response() {
		// The respondent stayed silent: escalated to arbitration.
		let (_, _, id) = opened::<T>(DisputeKind::Agreement);
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(matches!(
			Disputes::<T>::dispute(id).expect("open").stage,
			Stage::AwaitingArbiter { .. }
		));
	}

	#[benchmark]
	fn deadline_negotiation() {
		let (_, merchant, id) = opened::<T>(DisputeKind::Agreement);
		Disputes::<T>::do_submit_evidence(merchant, id, H256::repeat_byte(2)).expect("engages");
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(matches!(
			Disputes::<T>::dispute(id).expect("open").stage,
			Stage::AwaitingArbiter { .. }
		));
	}

	#[benchmark]
	fn deadline_draw() {
		full_arbiter_set::<T>();
		let (_, merchant, id) = opened::<T>(DisputeKind::Agreement);
		Disputes::<T>::do_escalate(merchant, id).expect("escalates");
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(matches!(
			Disputes::<T>::dispute(id).expect("open").stage,
			Stage::Arbitration { .. }
		));
	}

	#[benchmark]
	fn deadline_draw_none() {
		// Only the parties are arbiters: nobody is eligible.
		let (customer, merchant, id) = opened::<T>(DisputeKind::Agreement);
		Arbiters::<T>::put(BoundedVec::truncate_from(alloc::vec![customer, merchant.clone()]));
		Disputes::<T>::do_escalate(merchant, id).expect("escalates");
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(matches!(
			Disputes::<T>::dispute(id).expect("open").stage,
			Stage::AwaitingGovernance { .. }
		));
	}

	#[benchmark]
	fn deadline_ruling_redraw() {
		let (_, _, id, arbiter) = in_arbitration::<T>();
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		let dispute = Disputes::<T>::dispute(id).expect("open");
		assert!(dispute.missed.contains(&arbiter) || T::MaxReassignments::get() <= 1);
	}

	#[benchmark]
	fn deadline_ruling_to_governance() {
		// MaxReassignments - 1 arbiters already missed: this miss sends it to governance.
		let (_, _, id, _) = in_arbitration::<T>();
		crate::pallet::Disputes::<T>::mutate(id, |d| {
			let d = d.as_mut().expect("open");
			for i in 1..T::MaxReassignments::get() {
				let _ = d.missed.try_push(account("missed", i, SEED));
			}
		});
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(matches!(
			Disputes::<T>::dispute(id).expect("open").stage,
			Stage::AwaitingGovernance { .. }
		));
	}

	#[benchmark]
	fn deadline_appeal() {
		let (_, _, id, _) = ruled::<T>();
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(Disputes::<T>::dispute(id).is_none());
	}

	#[benchmark]
	fn deadline_appealed() {
		let (_, _, id, _) = appealed::<T>();
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(Disputes::<T>::dispute(id).is_none());
	}

	#[benchmark]
	fn deadline_governance() {
		// No arbiter, and governance did not decide: every deposit goes back and the order
		// resumes its own rules.
		Arbiters::<T>::kill();
		let (_, merchant, id) = opened::<T>(DisputeKind::Agreement);
		Disputes::<T>::do_escalate(merchant, id).expect("escalates");
		let (kind, at) = deadline_of::<T>(id);
		Disputes::<T>::fire(id, kind, go_to::<T>(at)).expect("goes to governance");
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(Disputes::<T>::dispute(id).is_none());
	}

	#[benchmark]
	fn deadline_platform() {
		let (_, _, id) = opened::<T>(DisputeKind::Platform);
		let (kind, at) = deadline_of::<T>(id);
		let now = go_to::<T>(at);

		#[block]
		{
			Disputes::<T>::process_deadline(id, Deadline::new(kind), now);
		}

		assert!(Disputes::<T>::dispute(id).is_none());
	}

	impl_benchmark_test_suite!(Disputes, crate::mock::new_test_ext(), crate::mock::Test);
}
