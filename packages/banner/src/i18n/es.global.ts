/** Entry of `allparty-banner.es.js`: registers these texts for the lazy UI bundle. */
import { es } from './es';

window.allpartyUiMessages = { ...window.allpartyUiMessages, es };
