import { registerPlace } from '~/domain/discussion/places.server';

import { FORUM_PLACE, forumPolicy } from './forums.server';

registerPlace(FORUM_PLACE, forumPolicy);
