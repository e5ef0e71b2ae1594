/** Entry of `allparty-banner.de.js`: registers these texts for the lazy UI bundle. */
import { de } from './de';

window.allpartyUiMessages = { ...window.allpartyUiMessages, de };
