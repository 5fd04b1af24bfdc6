//! A queue of work due at given blocks, processed by the chain itself: the orders pallet's
//! timers, the disputes pallet's deadlines and the loyalty pallet's timers.
//!
//! Every item belongs to an id (an order, a dispute) and an id has at most one item: the
//! deadline of its current state. Items are kept in a double map keyed by `(block, id)`
//! (`Due`), with the block of each id's item beside it (`DueAt`), so that:
//!
//! - scheduling never fails and never spills: an item goes to the block it is due in, however
//!   many others are due there (each is one storage entry, paid for by the deposit of what it
//!   belongs to);
//! - rescheduling or cancelling an id's item removes the old one at once (eager removal): no
//!   stale item of a cancelled order ever waits in the queue or costs a later block anything;
//! - an item can be taken out early when someone fires an overdue id by hand (a `poke`).
//!
//! `Cursor` is the oldest block whose items are not all processed yet. [`DueQueue::process`]
//! fires items due by `now`, oldest block first, within a weight budget: each block's hook
//! gives it a bounded share of the block in `on_initialize`, and `on_idle` gives it whatever
//! the block left over. An overdue item is never skipped: what the budget did not reach stays
//! in place and is fired first next time.

use core::marker::PhantomData;

use codec::FullCodec;
use frame_support::{
	storage::{IterableStorageDoubleMap, StorageDoubleMap, StorageMap, StorageValue},
	weights::{RuntimeDbWeight, Weight},
};
use sp_runtime::traits::Saturating;

/// The queue of items of type `Value`, one per `Id`, due at blocks of type `Block`, stored in
/// `Due` (`(block, id) → value`), `DueAt` (`id → block`) and `Cursor` (see the
/// [module docs](self)).
///
/// A pallet names its queue with a type alias over its three storage items, e.g.
/// `DueQueue<BlockNumberFor<T>, OrderId, Timer, Timers<T>, TimerAt<T>, TimerCursor<T>>`.
pub struct DueQueue<Block, Id, Value, Due, DueAt, Cursor>(
	PhantomData<(Block, Id, Value, Due, DueAt, Cursor)>,
);

impl<Block, Id, Value, Due, DueAt, Cursor> DueQueue<Block, Id, Value, Due, DueAt, Cursor>
where
	Block: FullCodec + Copy + PartialOrd + Saturating + sp_runtime::traits::One,
	Id: FullCodec,
	Value: FullCodec,
	Due: StorageDoubleMap<Block, Id, Value, Query = Option<Value>>
		+ IterableStorageDoubleMap<Block, Id, Value>,
	DueAt: StorageMap<Id, Block, Query = Option<Block>>,
	Cursor: StorageValue<Block, Query = Block>,
{
	/// The block `id`'s item is due in and the item, if `id` has one.
	pub fn get(id: &Id) -> Option<(Block, Value)> {
		let at = DueAt::get(id)?;
		Due::get(at, id).map(|value| (at, value))
	}

	/// Schedules `value` for `id` at block `at`, replacing `id`'s earlier item wherever it was.
	pub fn schedule(id: Id, at: Block, value: Value) {
		if let Some(old) = DueAt::get(&id) {
			Due::remove(old, &id);
		}
		Due::insert(at, &id, value);
		DueAt::insert(&id, at);
	}

	/// Removes `id`'s item, if it has one; returns it.
	pub fn cancel(id: &Id) -> Option<(Block, Value)> {
		let at = DueAt::take(id)?;
		Due::take(at, id).map(|value| (at, value))
	}

	/// Removes and returns `id`'s item if it is due by `now` (for firing it by hand); leaves it
	/// in place otherwise.
	pub fn take_due(id: &Id, now: Block) -> Option<(Block, Value)> {
		match DueAt::get(id) {
			Some(at) if at <= now => Self::cancel(id),
			_ => None,
		}
	}

	/// What the queue's own bookkeeping costs per item fired: finding it (a read), removing it
	/// from both maps (two writes).
	pub fn per_item(db: RuntimeDbWeight) -> Weight {
		db.reads_writes(1, 2)
	}

	/// Fires the items due by `now`, oldest block first, through `fire` (which returns the
	/// weight it used, at most `heaviest`), as long as the next step fits in `budget`. Items
	/// are removed before they are fired, so `fire` may schedule a new item for the same id.
	/// Returns the weight used: the queue's reads and writes plus what `fire` returned; it never
	/// exceeds `budget` when no `fire` exceeds `heaviest`.
	pub fn process(
		now: Block,
		budget: Weight,
		heaviest: Weight,
		db: RuntimeDbWeight,
		mut fire: impl FnMut(Id, Value) -> Weight,
	) -> Weight {
		// Reading and writing the cursor.
		let mut used = db.reads_writes(1, 1);
		if !used.all_lte(budget) {
			return Weight::zero();
		}
		let item = Self::per_item(db).saturating_add(heaviest);
		let mut cursor = Cursor::get();
		let mut moved = false;
		while cursor <= now {
			// Room for one more item (which also covers looking at an empty block).
			if !used.saturating_add(item).all_lte(budget) {
				break;
			}
			match Due::iter_prefix(cursor).next() {
				None => {
					used.saturating_accrue(db.reads(1));
					cursor.saturating_inc();
					moved = true;
				},
				Some((id, value)) => {
					Due::remove(cursor, &id);
					DueAt::remove(&id);
					used.saturating_accrue(Self::per_item(db));
					used.saturating_accrue(fire(id, value));
				},
			}
		}
		if moved {
			Cursor::put(cursor);
		}
		used
	}

	/// Whether `budget` leaves room to fire at least one item of weight `heaviest`: a budget
	/// that fits none would never fire anything.
	pub fn fits_one(budget: Weight, heaviest: Weight, db: RuntimeDbWeight) -> bool {
		db.reads_writes(1, 1)
			.saturating_add(Self::per_item(db))
			.saturating_add(heaviest)
			.all_lte(budget)
	}

	/// The checks of a pallet's `integrity_test` on the budget its `on_initialize` gives this
	/// queue (named `name`): at most a quarter of `max_block`, and room for at least one item
	/// of weight `heaviest`.
	pub fn integrity_test(
		name: &str,
		budget: Weight,
		heaviest: Weight,
		db: RuntimeDbWeight,
		max_block: Weight,
	) {
		assert!(
			budget.all_lte(max_block.saturating_div(4)),
			"{name} is more than a quarter of a block: {budget:?}"
		);
		assert!(Self::fits_one(budget, heaviest, db), "{name} fits no item of the heaviest kind");
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{storage::types::ValueQuery, Twox64Concat};

	struct DuePrefix;
	impl frame_support::traits::StorageInstance for DuePrefix {
		fn pallet_prefix() -> &'static str {
			"Test"
		}
		const STORAGE_PREFIX: &'static str = "Due";
	}
	struct DueAtPrefix;
	impl frame_support::traits::StorageInstance for DueAtPrefix {
		fn pallet_prefix() -> &'static str {
			"Test"
		}
		const STORAGE_PREFIX: &'static str = "DueAt";
	}
	struct CursorPrefix;
	impl frame_support::traits::StorageInstance for CursorPrefix {
		fn pallet_prefix() -> &'static str {
			"Test"
		}
		const STORAGE_PREFIX: &'static str = "Cursor";
	}

	type Due = frame_support::storage::types::StorageDoubleMap<
		DuePrefix,
		Twox64Concat,
		u32,
		Twox64Concat,
		u64,
		u8,
	>;
	type DueAt = frame_support::storage::types::StorageMap<DueAtPrefix, Twox64Concat, u64, u32>;
	type DueCursor = frame_support::storage::types::StorageValue<CursorPrefix, u32, ValueQuery>;
	type Queue = DueQueue<u32, u64, u8, Due, DueAt, DueCursor>;

	const DB: RuntimeDbWeight = RuntimeDbWeight { read: 1, write: 10 };
	const ITEM: u64 = 100;
	/// One item: its bookkeeping (1 read, 2 writes) and `ITEM` for firing it.
	const STEP: u64 = 21 + ITEM;

	fn budget(items: u64) -> Weight {
		Weight::from_parts(11 + items * STEP, 0)
	}

	fn fire_all(now: u32, budget: Weight) -> (Vec<(u64, u8)>, Weight) {
		let mut fired = Vec::new();
		let used = Queue::process(now, budget, Weight::from_parts(ITEM, 0), DB, |id, v| {
			fired.push((id, v));
			Weight::from_parts(ITEM, 0)
		});
		(fired, used)
	}

	#[test]
	fn any_number_of_items_fit_in_one_block_and_each_id_has_one() {
		sp_io::TestExternalities::default().execute_with(|| {
			for id in 0..1_000u64 {
				Queue::schedule(id, 5, 1);
			}
			assert_eq!(Due::iter_prefix(5).count(), 1_000);
			// Rescheduling moves the item: the old one is gone at once.
			Queue::schedule(7, 9, 2);
			assert_eq!((Due::get(5, 7), Queue::get(&7)), (None, Some((9, 2))));
			assert_eq!(Due::iter_prefix(5).count(), 999);
			// Cancelling removes it.
			assert_eq!(Queue::cancel(&7), Some((9, 2)));
			assert_eq!((Queue::get(&7), Due::iter_prefix(9).count()), (None, 0));
			assert_eq!(Queue::cancel(&7), None);
		});
	}

	#[test]
	fn processing_fires_due_items_oldest_block_first_within_the_budget() {
		sp_io::TestExternalities::default().execute_with(|| {
			DueCursor::put(1);
			for (id, at) in [(10, 1), (11, 1), (20, 2), (21, 2), (40, 4)] {
				Queue::schedule(id, at, at as u8);
			}
			// Room for three items and for finding block 1 empty once its two are fired: block 1
			// entirely and one of block 2's.
			let room = budget(3) + Weight::from_parts(1, 0);
			let (fired, used) = fire_all(10, room);
			assert_eq!(fired.len(), 3);
			assert!(fired[..2].iter().all(|(_, at)| *at == 1) && fired[2].1 == 2);
			assert!(used.all_lte(room));
			assert_eq!(DueCursor::get(), 2, "block 2 still has an item");

			// Then the rest, through the empty block 3, up to `now` and not beyond.
			Queue::schedule(90, 9, 9);
			let (fired, _) = fire_all(4, budget(10));
			assert_eq!(fired.iter().map(|(_, at)| *at).collect::<Vec<_>>(), vec![2, 4]);
			assert_eq!(DueCursor::get(), 5);
			assert_eq!(Queue::get(&90), Some((9, 9)), "not due yet");
			assert_eq!(DueAt::iter().count(), 1);
		});
	}

	#[test]
	fn a_budget_too_small_for_one_item_fires_nothing_and_loses_nothing() {
		sp_io::TestExternalities::default().execute_with(|| {
			DueCursor::put(1);
			Queue::schedule(1, 1, 0);
			let (fired, used) = fire_all(1, budget(1) - Weight::from_parts(1, 0));
			assert!(fired.is_empty());
			assert!(used.all_lte(budget(1)));
			assert_eq!((DueCursor::get(), Queue::get(&1)), (1, Some((1, 0))));
			assert!(Queue::fits_one(budget(1), Weight::from_parts(ITEM, 0), DB));
			assert!(!Queue::fits_one(budget(0), Weight::from_parts(ITEM, 0), DB));
		});
	}

	#[test]
	fn fire_may_reschedule_the_id_it_fires() {
		sp_io::TestExternalities::default().execute_with(|| {
			DueCursor::put(1);
			Queue::schedule(1, 1, 0);
			Queue::process(1, budget(5), Weight::from_parts(ITEM, 0), DB, |id, v| {
				Queue::schedule(id, 3, v + 1);
				Weight::from_parts(ITEM, 0)
			});
			assert_eq!(Queue::get(&1), Some((3, 1)));
			assert_eq!(DueCursor::get(), 2);
		});
	}

	#[test]
	fn an_overdue_item_can_be_taken_by_hand_and_a_future_one_cannot() {
		sp_io::TestExternalities::default().execute_with(|| {
			Queue::schedule(1, 5, 7);
			assert_eq!(Queue::take_due(&1, 4), None);
			assert_eq!(Queue::get(&1), Some((5, 7)));
			assert_eq!(Queue::take_due(&1, 5), Some((5, 7)));
			assert_eq!((Queue::get(&1), Due::iter().count()), (None, 0));
		});
	}
}
