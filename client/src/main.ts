import './styles/global.css';
import './components/app-root.js';
