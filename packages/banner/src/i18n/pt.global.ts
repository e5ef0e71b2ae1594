/** Entry of `allparty-banner.pt.js`: registers these texts for the lazy UI bundle. */
import { pt } from './pt';

window.allpartyUiMessages = { ...window.allpartyUiMessages, pt };
