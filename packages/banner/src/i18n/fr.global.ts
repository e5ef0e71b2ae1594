/** Entry of `allparty-banner.fr.js`: registers these texts for the lazy UI bundle. */
import { fr } from './fr';

window.allpartyUiMessages = { ...window.allpartyUiMessages, fr };
