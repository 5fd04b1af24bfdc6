//! A queue of work due at given blocks, processed by the chain itself in `on_initialize`: the
//! orders pallet's timers, the disputes pallet's deadlines and the loyalty pallet's timers.
//!
//! Items are kept by the block they are due in (`Map`: block → a bounded list). A block whose
//! list is full spills into the next block with room. `Cursor` is the oldest block whose items
//! are not all processed yet: every call looks at no more than `max` blocks and fires no more
//! than `max` items, from the cursor on, and leaves the rest for the next call. So a busy block
//! never makes the hook too heavy, and no item is ever skipped.

use core::marker::PhantomData;

use alloc::vec::Vec;
use codec::FullCodec;
use frame_support::{
	storage::{StorageMap, StorageValue},
	traits::Get,
	weights::{RuntimeDbWeight, Weight},
	BoundedVec,
};
use sp_runtime::traits::{One, Saturating};

/// The queue of items of type `Item` due at blocks of type `Block`, at most `S` per block,
/// stored in `Map` with its cursor in `Cursor` (see the [module docs](self)).
///
/// A pallet names its queue with a type alias over its two storage items, e.g.
/// `DueQueue<BlockNumberFor<T>, (OrderId, TimerKind), T::MaxTimersPerBlock, Timers<T>,
/// TimerCursor<T>>`.
pub struct DueQueue<Block, Item, S, Map, Cursor>(PhantomData<(Block, Item, S, Map, Cursor)>);

impl<Block, Item, S, Map, Cursor> DueQueue<Block, Item, S, Map, Cursor>
where
	Block: FullCodec + Copy + PartialOrd + Saturating + One,
	Item: FullCodec,
	S: Get<u32>,
	Map: StorageMap<Block, BoundedVec<Item, S>, Query = Option<BoundedVec<Item, S>>>,
	Cursor: StorageValue<Block, Query = Block>,
{
	/// Puts `item` in the list of block `at` or, if that is full, of the next block with room,
	/// looking at no more than `spill` blocks. Returns the block used, or `None` (and changes
	/// nothing) if every block looked at is full.
	pub fn schedule(at: Block, item: Item, spill: u32) -> Option<Block> {
		let mut block = at;
		let mut item = Some(item);
		for _ in 0..spill {
			Map::mutate(block, |slot| {
				let mut list = slot.take().unwrap_or_default();
				if let Some(next) = item.take() {
					// A full list gives the item back, to try the next block.
					item = list.try_push(next).err();
				}
				*slot = (!list.is_empty()).then_some(list);
			});
			if item.is_none() {
				return Some(block);
			}
			block.saturating_inc();
		}
		None
	}

	/// Fires the items due by `now`, oldest block first, through `fire` (which returns the
	/// weight it used): at most `max` items, looking at most at `max` blocks. What is left of a
	/// block stays in it for the next call. Returns the weight of the queue's own reads and
	/// writes (one of each per block looked at) plus what `fire` returned.
	pub fn process(
		now: Block,
		max: u32,
		db: RuntimeDbWeight,
		mut fire: impl FnMut(Item) -> Weight,
	) -> Weight {
		let mut weight = Weight::zero();
		let mut cursor = Cursor::get();
		let (mut fired, mut looked) = (0u32, 0u32);
		while cursor <= now && fired < max && looked < max {
			looked.saturating_inc();
			weight.saturating_accrue(db.reads_writes(1, 1));
			let Some(due) = Map::take(cursor) else {
				cursor.saturating_inc();
				continue;
			};
			let mut due: Vec<Item> = due.into_inner();
			let room = max.saturating_sub(fired) as usize;
			let rest = if due.len() > room { due.split_off(room) } else { Vec::new() };
			for item in due {
				weight.saturating_accrue(fire(item));
				fired.saturating_inc();
			}
			if !rest.is_empty() {
				Map::insert(cursor, BoundedVec::<Item, S>::truncate_from(rest));
				break;
			}
			cursor.saturating_inc();
		}
		Cursor::put(cursor);
		weight
	}

	/// The most [`Self::process`] can weigh with this `max` when no item's `fire` weighs more
	/// than `heaviest`: `max` blocks looked at, `max` items fired.
	pub fn worst_case(max: u32, db: RuntimeDbWeight, heaviest: Weight) -> Weight {
		heaviest.saturating_add(db.reads_writes(1, 1)).saturating_mul(u64::from(max))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::{storage::types::ValueQuery, traits::ConstU32, Twox64Concat};

	struct MapPrefix;
	impl frame_support::traits::StorageInstance for MapPrefix {
		fn pallet_prefix() -> &'static str {
			"Test"
		}
		const STORAGE_PREFIX: &'static str = "Due";
	}
	struct CursorPrefix;
	impl frame_support::traits::StorageInstance for CursorPrefix {
		fn pallet_prefix() -> &'static str {
			"Test"
		}
		const STORAGE_PREFIX: &'static str = "Cursor";
	}

	type Due = frame_support::storage::types::StorageMap<
		MapPrefix,
		Twox64Concat,
		u32,
		BoundedVec<u8, ConstU32<2>>,
	>;
	type DueCursor = frame_support::storage::types::StorageValue<CursorPrefix, u32, ValueQuery>;
	type Queue = DueQueue<u32, u8, ConstU32<2>, Due, DueCursor>;

	const DB: RuntimeDbWeight = RuntimeDbWeight { read: 1, write: 10 };

	fn list(block: u32) -> Vec<u8> {
		Due::get(block).map(|l| l.into_inner()).unwrap_or_default()
	}

	#[test]
	fn a_full_block_spills_into_the_next_with_room_and_no_further_than_spill() {
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(Queue::schedule(5, 1, 3), Some(5));
			assert_eq!(Queue::schedule(5, 2, 3), Some(5));
			assert_eq!(Queue::schedule(5, 3, 3), Some(6));
			assert_eq!(Queue::schedule(6, 4, 3), Some(6));
			assert_eq!(Queue::schedule(5, 5, 3), Some(7));
			assert_eq!(Queue::schedule(7, 6, 3), Some(7));
			// Blocks 5, 6 and 7 are full: a fourth block is out of reach.
			assert_eq!(Queue::schedule(5, 7, 3), None);
			assert_eq!(
				(list(5), list(6), list(7), list(8)),
				(vec![1, 2], vec![3, 4], vec![5, 6], vec![])
			);
			// Nothing scheduled, nothing stored.
			assert_eq!(Queue::schedule(9, 8, 0), None);
			assert!(!Due::contains_key(9));
		});
	}

	#[test]
	fn processing_fires_in_order_at_most_max_and_carries_the_rest_over() {
		sp_io::TestExternalities::default().execute_with(|| {
			DueCursor::put(1);
			for (at, item) in [(1, 10), (1, 11), (2, 20), (2, 21), (4, 40)] {
				Queue::schedule(at, item, 1).expect("room");
			}
			let mut fired = Vec::new();
			// Three items at most: block 1 entirely, one of block 2's.
			let weight = Queue::process(10, 3, DB, |item| {
				fired.push(item);
				Weight::from_parts(100, 0)
			});
			assert_eq!(fired, vec![10, 11, 20]);
			assert_eq!(weight, Weight::from_parts(2 * 11 + 300, 0), "two blocks looked at");
			assert_eq!((DueCursor::get(), list(2)), (2, vec![21]));

			// Then the rest, through the empty block 3, up to `now`.
			fired.clear();
			Queue::process(4, 3, DB, |item| {
				fired.push(item);
				Weight::zero()
			});
			assert_eq!(fired, vec![21, 40]);
			assert_eq!(DueCursor::get(), 5);
			assert!(Due::iter().next().is_none());
		});
	}

	#[test]
	fn the_worst_case_bounds_a_full_run() {
		sp_io::TestExternalities::default().execute_with(|| {
			DueCursor::put(1);
			for at in 1..=3 {
				Queue::schedule(at, 0, 1).expect("room");
				Queue::schedule(at, 1, 1).expect("room");
			}
			let heaviest = Weight::from_parts(100, 0);
			let used = Queue::process(3, 4, DB, |_| heaviest);
			assert_eq!(Queue::worst_case(4, DB, heaviest), Weight::from_parts(4 * 111, 0));
			assert!(used.all_lte(Queue::worst_case(4, DB, heaviest)));
		});
	}

	#[test]
	fn processing_looks_at_no_more_than_max_blocks_and_not_ahead_of_now() {
		sp_io::TestExternalities::default().execute_with(|| {
			DueCursor::put(1);
			Queue::schedule(9, 90, 1).expect("room");
			let mut fired = Vec::new();
			// Blocks 1..=4 are empty: four looked at, then the cursor stops at 5.
			let weight = Queue::process(20, 4, DB, |item| {
				fired.push(item);
				Weight::zero()
			});
			assert!(fired.is_empty());
			assert_eq!((DueCursor::get(), weight), (5, Weight::from_parts(4 * 11, 0)));
			// Never past `now`: block 9's item waits for block 9.
			Queue::process(8, 10, DB, |item| {
				fired.push(item);
				Weight::zero()
			});
			assert!(fired.is_empty());
			assert_eq!(DueCursor::get(), 9);
			Queue::process(9, 10, DB, |item| {
				fired.push(item);
				Weight::zero()
			});
			assert_eq!((fired, DueCursor::get()), (vec![90], 10));
		});
	}
}
