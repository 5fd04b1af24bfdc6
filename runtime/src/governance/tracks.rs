//! The referendum tracks: `root` (id 0), `platform` (id 1) and `cancel` (id 2).
//!
//! - `root` (id 0), origin `Root`: runtime upgrades, council membership, anything. One
//!   referendum decided at a time; decision deposit 1 000 ENT.
//! - `platform` (id 1), origin [`origins::Origin::PlatformAdmin`]: platform parameters,
//!   validators, treasury spends up to 100 000 ENT. Ten decided at a time; decision deposit
//!   100 ENT.
//! - `cancel` (id 2), origin [`origins::Origin::ReferendumCanceller`]: cancelling another
//!   referendum (the council cannot). Fast: it must end before the referendum it cancels is
//!   enacted. Ten at a time; decision deposit 500 ENT.
//!
//! Periods are in blocks (1 s each) and go through [`prod_or_fast`]: days in a normal build,
//! a few blocks with the `fast-runtime` feature (end-to-end tests and demos):
//!
//! | track | prepare | decision | confirm | min. enactment |
//! |---|---|---|---|---|
//! | `root` | 2 h / 2 blocks | 7 days / 20 blocks | 1 day / 4 blocks | 1 day / 2 blocks |
//! | `platform` | 1 h / 1 block | 5 days / 10 blocks | 6 h / 2 blocks | 1 h / 1 block |
//! | `cancel` | 10 min / 1 block | 2 days / 10 blocks | 1 h / 2 blocks | 1 block / 1 block |
//!
//! Approval (share of conviction-weighted aye votes) starts at 100% and falls linearly to 50%
//! over the decision period on every track. Support (share of the active ENT issuance that
//! voted aye, without conviction) starts at 50% (`root`), 20% (`platform`) or 20% (`cancel`)
//! and falls linearly to a floor it never goes below: 10% (`root`), 2% (`platform`), 5%
//! (`cancel`). A referendum that a majority approves passes once enough of the decision period
//! has gone by for its turnout, and never with less turnout than the floor: a runtime upgrade
//! or a council change needs a tenth of the active ENT to vote for it.

use alloc::borrow::Cow;
use frame_support::traits::OriginTrait;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, Perbill};

use super::origins;
use crate::{prod_or_fast, Balance, BlockNumber, RuntimeOrigin, DAYS, HOURS, MINUTES, UNITS};

/// The id of the `root` track.
pub const ROOT_TRACK: u16 = 0;
/// The id of the `platform` track.
pub const PLATFORM_TRACK: u16 = 1;
/// The id of the `cancel` track.
pub const CANCEL_TRACK: u16 = 2;

/// A curve falling linearly from `ceil` percent at the start of the decision period to `floor`
/// percent at its end.
const fn linear(ceil: u32, floor: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(floor),
		ceil: Perbill::from_percent(ceil),
	}
}

/// The tracks, ordered by id.
static TRACKS: [Track<u16, Balance, BlockNumber>; 3] = [
	Track {
		id: ROOT_TRACK,
		info: TrackInfo {
			name: s("root"),
			max_deciding: 1,
			decision_deposit: 1_000 * UNITS,
			prepare_period: prod_or_fast(2 * HOURS, 2),
			decision_period: prod_or_fast(7 * DAYS, 20),
			confirm_period: prod_or_fast(DAYS, 4),
			min_enactment_period: prod_or_fast(DAYS, 2),
			min_approval: linear(100, 50),
			min_support: linear(50, 10),
		},
	},
	Track {
		id: PLATFORM_TRACK,
		info: TrackInfo {
			name: s("platform"),
			max_deciding: 10,
			decision_deposit: 100 * UNITS,
			prepare_period: prod_or_fast(HOURS, 1),
			decision_period: prod_or_fast(5 * DAYS, 10),
			confirm_period: prod_or_fast(6 * HOURS, 2),
			min_enactment_period: prod_or_fast(HOURS, 1),
			min_approval: linear(100, 50),
			min_support: linear(20, 2),
		},
	},
	Track {
		id: CANCEL_TRACK,
		info: TrackInfo {
			name: s("cancel"),
			max_deciding: 10,
			decision_deposit: 500 * UNITS,
			prepare_period: prod_or_fast(10 * MINUTES, 1),
			decision_period: prod_or_fast(2 * DAYS, 10),
			confirm_period: prod_or_fast(HOURS, 2),
			min_enactment_period: 1,
			min_approval: linear(100, 50),
			min_support: linear(20, 5),
		},
	},
];

/// Entrepot's referendum tracks, for `pallet_referenda::Config::Tracks`.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		if let Ok(system_origin) = frame_system::RawOrigin::try_from(origin.clone()) {
			match system_origin {
				frame_system::RawOrigin::Root => Ok(ROOT_TRACK),
				_ => Err(()),
			}
		} else if let Ok(custom_origin) = origins::Origin::try_from(origin.clone()) {
			match custom_origin {
				origins::Origin::PlatformAdmin => Ok(PLATFORM_TRACK),
				origins::Origin::ReferendumCanceller => Ok(CANCEL_TRACK),
			}
		} else {
			Err(())
		}
	}
}
